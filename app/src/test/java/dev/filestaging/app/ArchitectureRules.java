package dev.filestaging.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The arrows of the hexagon, for a tree rooted at {@code root}: adapters → ports ← domain, only app knows everyone,
 * framework and SDK types stay in their adapters. Parameterised by root so that each rule can be proven against a
 * deliberately broken tree.
 */
final class ArchitectureRules {
    private ArchitectureRules() {}

    record NamedRule(String name, ArchRule rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<NamedRule> forRoot(String root) {
        String ports = root + ".ports..";
        String domain = root + ".domain..";
        String localfs = root + ".adapter.localfs..";
        String s3 = root + ".adapter.s3..";
        String postgres = root + ".adapter.postgres..";
        String localCatalog = root + ".adapter.localfs.catalog..";
        String jersey = root + ".adapter.jersey..";
        String jerseyEvents = root + ".adapter.jersey.events..";
        String oidc = root + ".adapter.oidc..";
        String app = root + ".app..";
        String storageRecords = root + ".storage.records..";
        return List.of(
                new NamedRule("ports depend on the JDK only", classes().that().resideInAPackage(ports)
                        .should().onlyDependOnClassesThat().resideInAnyPackage(ports, "java..")),
                new NamedRule("domain depends on ports and the JDK only (javax.crypto: the HMAC of signed links)",
                        classes().that().resideInAPackage(domain).should().onlyDependOnClassesThat()
                                .resideInAnyPackage(domain, ports, "java..", "javax.crypto..")),
                new NamedRule("domain reads time only from an injected Clock", noClasses().that().resideInAPackage(domain)
                        .should().callMethod(Instant.class, "now")
                        .orShould().callMethod(LocalDateTime.class, "now")
                        .orShould().callMethod(OffsetDateTime.class, "now")
                        .orShould().callMethod(ZonedDateTime.class, "now")
                        .orShould().callMethod(System.class, "currentTimeMillis")),
                new NamedRule("the domain knows neither JDBC nor a storage SDK", noClasses().that()
                        .resideInAPackage(domain).should().dependOnClassesThat()
                        .resideInAnyPackage("java.sql..", "javax.sql..", "software.amazon..")),
                new NamedRule("JDBC, its pool and migrations stay in the catalog adapters", noClasses().that()
                        .resideOutsideOfPackages(postgres, localCatalog).and().resideInAPackage(root + "..")
                        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..",
                                "com.zaxxer..", "org.flywaydb..", "org.postgresql..", "org.sqlite..")),
                new NamedRule("storage adapters know neither domain, HTTP nor app", noClasses()
                        .that().resideInAnyPackage(localfs, s3, postgres)
                        .should().dependOnClassesThat().resideInAnyPackage(domain, jersey, app)),
                new NamedRule("storage encodings depend on the ports and the JDK only", classes().that()
                        .resideInAPackage(storageRecords).should().onlyDependOnClassesThat()
                        .resideInAnyPackage(storageRecords, ports, "java..")),
                new NamedRule("only storage adapters know how storage encodes metadata", noClasses().that()
                        .resideInAnyPackage(ports, domain, jersey, oidc, app)
                        .should().dependOnClassesThat().resideInAPackage(storageRecords)),
                new NamedRule("storage adapters do not know each other", noClasses().that().resideInAPackage(localfs)
                        .should().dependOnClassesThat().resideInAnyPackage(s3, postgres)),
                new NamedRule("the catalog adapter knows no other storage adapter", noClasses().that()
                        .resideInAPackage(postgres).should().dependOnClassesThat().resideInAnyPackage(localfs, s3)),
                new NamedRule("the S3 adapter knows no other storage adapter", noClasses().that()
                        .resideInAPackage(s3).should().dependOnClassesThat().resideInAnyPackage(localfs, postgres)),
                new NamedRule("the HTTP adapter knows the ports only", noClasses().that().resideInAPackage(jersey)
                        .should().dependOnClassesThat().resideInAnyPackage(domain, localfs, s3, postgres, app)),
                new NamedRule("the HTTP adapter drives storage only through use cases (of the out-ports it knows StorageException)",
                        noClasses().that().resideInAPackage(jersey).and().resideOutsideOfPackage(jerseyEvents)
                                .should().dependOnClassesThat(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(root + ".ports.out..")
                                        .and(com.tngtech.archunit.base.DescribedPredicate.not(
                                                com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching(
                                                        ".*\\.StorageException(\\$.*)?"))))),
                // The webhook transport is driven (it implements an out-port) and drives nothing: it may know the
                // event out-ports, and no other out-port.
                new NamedRule("the HTTP adapter's webhook transport knows only the event out-ports",
                        noClasses().that().resideInAPackage(jerseyEvents).should().dependOnClassesThat(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(root + ".ports.out..")
                                        .and(com.tngtech.archunit.base.DescribedPredicate.not(
                                                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(
                                                        root + ".ports.out.events.."))))),
                new NamedRule("the token adapter knows the ports only", noClasses().that().resideInAPackage(oidc)
                        .should().dependOnClassesThat().resideInAnyPackage(domain, localfs, s3, postgres, jersey, app)),
                new NamedRule("Nimbus JOSE+JWT types stay in the token adapter", noClasses().that().resideOutsideOfPackage(oidc)
                        .and().resideInAPackage(root + "..")
                        .should().dependOnClassesThat().resideInAPackage("com.nimbusds..")),
                new NamedRule("nothing depends on app", noClasses().that().resideOutsideOfPackage(app)
                        .and().resideInAPackage(root + "..")
                        .should().dependOnClassesThat().resideInAPackage(app)),
                new NamedRule("AWS SDK types stay in the S3 adapter", noClasses().that().resideOutsideOfPackage(s3)
                        .and().resideInAPackage(root + "..")
                        .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")),
                new NamedRule("JAX-RS, Jersey and Grizzly types stay in the HTTP adapter and app", noClasses()
                        .that().resideOutsideOfPackages(jersey, app)
                        .and().resideInAPackage(root + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(
                                "jakarta.ws.rs..", "org.glassfish.jersey..", "org.glassfish.grizzly..")),
                new NamedRule("packages are free of cycles", slices().matching(root + ".(**)").should().beFreeOfCycles()));
    }
}
