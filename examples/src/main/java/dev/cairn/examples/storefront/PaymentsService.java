package dev.cairn.examples.storefront;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Charges. {@code inject=slowio} reads the "card network" answer from a loopback socket that
 * answers late (a slow I/O stall); {@code inject=error} fails the charge (an ERROR log, which
 * triggers the black-box dump).
 */
@RestController
@ConditionalOnProperty(name = "demo.role", havingValue = "payments")
class PaymentsService implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(PaymentsService.class);

  private final ServerSocket cardNetwork;
  private final Thread cardNetworkThread;

  PaymentsService() throws IOException {
    cardNetwork = new ServerSocket();
    cardNetwork.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    cardNetworkThread = new Thread(this::answerSlowly, "card-network");
    cardNetworkThread.setDaemon(true);
    cardNetworkThread.start();
  }

  @PostMapping("/charge")
  String charge(
      @RequestParam(defaultValue = "0") long amount,
      @RequestParam(defaultValue = "none") String inject) throws IOException {
    if ("error".equals(inject)) {
      IllegalStateException e = new IllegalStateException("card declined by issuer");
      log.atError().setCause(e).addKeyValue("amount", amount).log("charge failed");
      throw new ResponseStatusException(HttpStatus.PAYMENT_REQUIRED, "declined", e);
    }
    String authorization = "local";
    if ("slowio".equals(inject)) {
      authorization = askCardNetwork();
    }
    log.atInfo().addKeyValue("amount", amount).addKeyValue("authorization", authorization)
        .log("charge accepted");
    return "charged " + amount + " (" + authorization + ")";
  }

  private String askCardNetwork() throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), cardNetwork.getLocalPort())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write('?');
      InputStream in = s.getInputStream();
      StringBuilder answer = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        answer.append((char) c);
      }
      return answer.toString();
    }
  }

  /** The card network answers every question, 500 ms late. */
  private void answerSlowly() {
    while (!cardNetwork.isClosed()) {
      try (Socket s = cardNetwork.accept()) {
        s.getInputStream().read();
        Thread.sleep(500);
        OutputStream out = s.getOutputStream();
        out.write("auth-ok\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // closed at shutdown, or the client went away: either way, wait for the next question
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void destroy() throws IOException {
    cardNetwork.close();
    cardNetworkThread.interrupt();
  }
}
