package archfixture.bad.cycle.b;

public class B {
    public archfixture.bad.cycle.a.A a() {
        return new archfixture.bad.cycle.a.A();
    }
}
