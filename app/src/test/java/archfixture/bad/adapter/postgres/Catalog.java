package archfixture.bad.adapter.postgres;

/** Violates: the catalog adapter reaching into another storage adapter. */
public class Catalog {
    public Object disk() {
        return new archfixture.bad.adapter.localfs.Disk();
    }
}
