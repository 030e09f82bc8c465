package io.aiojobs.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Logs where to open the dashboard once the application is ready. */
@Component
class DashboardAnnouncer {

    private static final Logger logger = LoggerFactory.getLogger(DashboardAnnouncer.class);

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        String base = "http://localhost:" + port + env.getProperty("server.servlet.context-path", "");
        logger.info("Dashboard: {}/  (jobs: {}/actuator/jobs, metrics: {}/actuator/prometheus)", base, base, base);
    }
}
