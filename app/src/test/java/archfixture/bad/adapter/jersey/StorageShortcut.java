package archfixture.bad.adapter.jersey;

/** Violates: the HTTP adapter drives a storage port (a store capability, say) instead of a use case. */
public class StorageShortcut {
    public archfixture.bad.ports.out.Store store;
}
