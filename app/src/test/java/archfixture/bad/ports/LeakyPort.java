package archfixture.bad.ports;

/** Violates: ports depend on the JDK only. */
public interface LeakyPort {
    archfixture.bad.domain.Service service();
}
