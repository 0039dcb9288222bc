package dev.filestaging.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.app.logging.DrainingLogManager;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;

/**
 * Main names the log manager as text (touching the class would start java.util.logging too early): a stale name would
 * give the JDK's manager back, which drops the log lines of a draining shutdown.
 */
class MainTest {
    @Test
    void the_log_manager_main_names_is_the_draining_one() throws Exception {
        assertThat(Main.LOG_MANAGER).isEqualTo(DrainingLogManager.class.getName());
        assertThat(LogManager.class.isAssignableFrom(Class.forName(Main.LOG_MANAGER))).isTrue();
    }
}
