package io.aiojobs.spring.web;

import java.lang.reflect.Proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as a job that may outlive it sees it: the live request until the request
 * completes, then a stand-in that refuses every call. The container recycles request objects
 * for later requests, so a job reading its request after completion could otherwise see
 * another user's request.
 */
final class DetachedRequest extends HttpServletRequestWrapper {

    private static final HttpServletRequest GONE = (HttpServletRequest) Proxy.newProxyInstance(
            DetachedRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "CompletedRequest";
                    };
                }
                throw new IllegalStateException("The request has completed and may already serve"
                        + " another client; copy what the job needs from it before the response"
                        + " is sent (see docs/web.md)");
            });

    DetachedRequest(HttpServletRequest request) {
        super(request);
    }

    /** Cuts the job off from the request; called when the request completes. */
    void detach() {
        setRequest(GONE);
    }
}
