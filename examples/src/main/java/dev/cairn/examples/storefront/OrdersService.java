package dev.cairn.examples.storefront;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The edge service: an order reserves stock at inventory, then charges at payments. Its
 * {@link RestClient} comes from Spring Boot's builder, so Cairn's client instrumentation injects
 * the propagation headers without any code here.
 */
@RestController
@ConditionalOnProperty(name = "demo.role", havingValue = "orders")
class OrdersService {
  private static final Logger log = LoggerFactory.getLogger(OrdersService.class);

  private final RestClient inventory;
  private final RestClient payments;

  OrdersService(
      RestClient.Builder builder,
      @Value("${demo.inventory-url}") String inventoryUrl,
      @Value("${demo.payments-url}") String paymentsUrl) {
    this.inventory = builder.clone().baseUrl(inventoryUrl).build();
    this.payments = builder.clone().baseUrl(paymentsUrl).build();
  }

  @PostMapping("/orders")
  ResponseEntity<String> placeOrder(
      @RequestParam(defaultValue = "sku-1") String sku,
      @RequestParam(defaultValue = "1") int quantity,
      @RequestParam(defaultValue = "none") String inject) {
    log.atInfo().addKeyValue("sku", sku).addKeyValue("quantity", quantity).log("order received");
    Map<String, Object> result = new LinkedHashMap<>();
    try {
      String reserved =
          inventory
              .post()
              .uri(u -> u.path("/reserve").queryParam("sku", sku).queryParam("quantity", quantity)
                  .queryParam("inject", inject).build())
              .retrieve()
              .body(String.class);
      result.put("inventory", reserved);
      String charged =
          payments
              .post()
              .uri(u -> u.path("/charge").queryParam("amount", 42 * quantity)
                  .queryParam("inject", inject).build())
              .retrieve()
              .body(String.class);
      result.put("payment", charged);
      log.atInfo().addKeyValue("sku", sku).log("order placed");
      return ResponseEntity.ok(result.toString());
    } catch (RestClientResponseException e) {
      log.atError()
          .setCause(e)
          .addKeyValue("status", e.getStatusCode().value())
          .log("order failed downstream");
      result.put("error", e.getStatusCode().value());
      return ResponseEntity.status(502).body(result.toString());
    }
  }
}
