package archfixture.bad.adapter.s3;

public class Bucket {}
