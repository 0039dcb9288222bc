package archfixture.bad.app;

public class Wiring {}
