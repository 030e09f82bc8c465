/**
 * Spring MVC integration, after aiohttp's {@code aiojobs.aiohttp}: {@link io.aiojobs.spring.web.Atomic}
 * handlers and the {@link io.aiojobs.spring.web.AiojobsWeb} request helpers.
 */
package io.aiojobs.spring.web;
