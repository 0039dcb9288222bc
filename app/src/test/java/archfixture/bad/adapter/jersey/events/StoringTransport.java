package archfixture.bad.adapter.jersey.events;

/** Violates: the webhook transport drives an out-port other than the event ones (a store, say). */
public class StoringTransport {
    public archfixture.bad.ports.out.Store store;
}
