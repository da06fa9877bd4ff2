package dev.cairn.examples.storefront;

import java.net.http.HttpClient;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The services' outgoing HTTP speaks plain HTTP/1.1.
 *
 * <p>With no other client library on the class path, Spring Boot builds every {@code RestClient}
 * on the JDK {@link HttpClient}, whose default version is HTTP/2. On an {@code http://} URL it then
 * sends each request as HTTP/1.1 offering {@code Upgrade: h2c}, and a server that does not
 * implement the upgrade may treat the request as an upgrade and read no body: the W3C Trace
 * Context test suite's harness (aiohttp) received every callback of {@code POST /test} empty.
 * The customizer applies only when Boot picked the JDK client.
 */
@Configuration(proxyBeanMethods = false)
class OutgoingHttp {
  @Bean
  ClientHttpRequestFactoryBuilderCustomizer<JdkClientHttpRequestFactoryBuilder> plainHttp11() {
    return builder ->
        builder.withHttpClientCustomizer(client -> client.version(HttpClient.Version.HTTP_1_1));
  }
}
