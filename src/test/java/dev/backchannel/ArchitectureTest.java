package dev.backchannel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of docs/architecture.md, checked on the compiled classes. */
class ArchitectureTest {
  private static final String[] STORE_ADAPTERS = {"dev.backchannel.store.jdbc..", "dev.backchannel.store.sqlite..",
      "dev.backchannel.store.postgres.."};
  private static final String[] DOMAIN = {
      "dev.backchannel.actor..", "dev.backchannel.agent..", "dev.backchannel.audit..", "dev.backchannel.channel..",
      "dev.backchannel.idempotency..", "dev.backchannel.key..", "dev.backchannel.message..",
      "dev.backchannel.session..", "dev.backchannel.task..", "dev.backchannel.webhook..",
      "dev.backchannel.maintenance..", "dev.backchannel.stream.."};

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.backchannel");
  }

  @Test
  void packagesHaveNoCycles() {
    // One slice per package (not per top-level package), so a cycle between a package and its
    // own subpackage counts too.
    slices().matching("dev.backchannel.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theWebFrameworkStaysInTheHttpLayer() {
    noClasses().that().resideOutsideOfPackages("dev.backchannel.http..", "dev.backchannel")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.ext.web..")
        .check(classes);
  }

  @Test
  void jdbcStaysInTheStoreAdapters() {
    noClasses().that().resideOutsideOfPackages(STORE_ADAPTERS)
        .should().dependOnClassesThat().resideInAPackage("java.sql..")
        .check(classes);
  }

  @Test
  void domainPackagesDoNotKnowTheHttpLayer() {
    noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAPackage("dev.backchannel.http..")
        .check(classes);
  }

  @Test
  void domainPackagesDoNotKnowTheStoreAdapters() {
    noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAnyPackage(STORE_ADAPTERS)
        .check(classes);
  }
}
