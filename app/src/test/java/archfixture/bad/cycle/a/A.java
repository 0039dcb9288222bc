package archfixture.bad.cycle.a;

/** Violates: no cycles (a → b → a). */
public class A {
    public archfixture.bad.cycle.b.B b() {
        return new archfixture.bad.cycle.b.B();
    }
}
