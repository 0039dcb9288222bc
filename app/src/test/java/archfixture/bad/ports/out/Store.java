package archfixture.bad.ports.out;

/** An out-port, which only the use cases may drive. */
public interface Store {
}
