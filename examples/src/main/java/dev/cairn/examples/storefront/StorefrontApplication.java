package dev.cairn.examples.storefront;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One Spring Boot application class for all three storefront services; the {@code demo.role}
 * property decides which controllers exist, so each child process is one service.
 */
@SpringBootApplication
public class StorefrontApplication {}
