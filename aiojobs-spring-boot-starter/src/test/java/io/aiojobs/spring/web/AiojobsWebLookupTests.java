package io.aiojobs.spring.web;

import io.aiojobs.JobScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * How {@link AiojobsWeb} finds a request's scheduler: in the request's web application context,
 * else its parents, the nearest one winning, as aiohttp's nested applications do.
 */
class AiojobsWebLookupTests {

    private final JobScheduler parentScheduler = new JobScheduler();

    private final JobScheduler childScheduler = new JobScheduler();

    private final MockServletContext servletContext = new MockServletContext();

    private final MockHttpServletRequest request = new MockHttpServletRequest(this.servletContext);

    @AfterEach
    void closeSchedulers() {
        this.parentScheduler.close();
        this.childScheduler.close();
    }

    @Test
    void getSchedulerWithoutASchedulerThrowsSayingHowToRegisterTheStarter() {
        register(root(null));

        assertThat(AiojobsWeb.getSchedulerFromRequest(this.request)).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> AiojobsWeb.getScheduler(this.request))
                .withMessageContaining("aiojobs-spring-boot-starter")
                .withMessageContaining("JobScheduler bean");
    }

    @Test
    void getSchedulerWithoutAnyWebApplicationContextThrows() {
        assertThat(AiojobsWeb.getSchedulerFromRequest(this.request)).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> AiojobsWeb.getScheduler(this.request));
    }

    @Test
    void rootContextSchedulerIsTheRequestsScheduler() {
        register(root(this.parentScheduler));

        assertThat(AiojobsWeb.getScheduler(this.request)).isSameAs(this.parentScheduler);
    }

    @Test
    void childContextWithoutSchedulerUsesItsParents() {
        GenericWebApplicationContext root = root(this.parentScheduler);
        GenericWebApplicationContext child = child(root, null);
        register(root);
        this.request.setAttribute(DispatcherServlet.WEB_APPLICATION_CONTEXT_ATTRIBUTE, child);

        assertThat(AiojobsWeb.getScheduler(this.request)).isSameAs(this.parentScheduler);
        assertThat(AiojobsWeb.getSchedulerFromApp(child)).containsSame(this.parentScheduler);
    }

    @Test
    void childContextWithItsOwnSchedulerWins() {
        GenericWebApplicationContext root = root(this.parentScheduler);
        GenericWebApplicationContext child = child(root, this.childScheduler);
        register(root);
        this.request.setAttribute(DispatcherServlet.WEB_APPLICATION_CONTEXT_ATTRIBUTE, child);

        assertThat(AiojobsWeb.getSchedulerFromRequest(this.request)).containsSame(this.childScheduler);
        assertThat(AiojobsWeb.getSchedulerFromApp(root)).containsSame(this.parentScheduler);
    }

    @Test
    void contextWithSeveralSchedulersPrefersTheOneNamedJobScheduler() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("other", JobScheduler.class, () -> this.childScheduler);
        context.registerBean("jobScheduler", JobScheduler.class, () -> this.parentScheduler);
        context.refresh();

        assertThat(AiojobsWeb.getSchedulerFromApp(context)).containsSame(this.parentScheduler);
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.getScheduler(null));
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.getSchedulerFromRequest(null));
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.getSchedulerFromApp(null));
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.spawn(null, () -> 1));
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.spawn(this.request, null));
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.shield(null, () -> 1));
        assertThatNullPointerException().isThrownBy(() -> AiojobsWeb.shield(this.request, null));
    }

    private GenericWebApplicationContext root(JobScheduler scheduler) {
        GenericWebApplicationContext root = new GenericWebApplicationContext(this.servletContext);
        if (scheduler != null) {
            root.registerBean("jobScheduler", JobScheduler.class, () -> scheduler);
        }
        root.refresh();
        return root;
    }

    private GenericWebApplicationContext child(GenericWebApplicationContext parent, JobScheduler scheduler) {
        GenericWebApplicationContext child = new GenericWebApplicationContext(this.servletContext);
        child.setParent(parent);
        if (scheduler != null) {
            child.registerBean("childScheduler", JobScheduler.class, () -> scheduler);
        }
        child.refresh();
        return child;
    }

    private void register(WebApplicationContext root) {
        this.servletContext.setAttribute(WebApplicationContext.ROOT_WEB_APPLICATION_CONTEXT_ATTRIBUTE, root);
    }
}
