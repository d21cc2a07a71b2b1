package dev.ferry.config;

import dev.ferry.egress.IpLiterals;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the variables the kubelet puts into every container for each Service of its namespace
 * (unless the pod sets {@code enableServiceLinks: false}), so that {@link EnvOverrides} can leave
 * them alone instead of refusing them as unknown configuration: a Service named {@code ferry} or
 * {@code ferry-x} gives {@code FERRY_*} and {@code FERRY_X_*} variables that Ferry did not ask for.
 * Pure; called once per unknown variable at start-up.
 *
 * <p>A variable counts as a service link only when its name <em>and</em> its value have the exact
 * shape the kubelet writes, for a Service {@code <svc>} turned into {@code SVC} (upper case, {@code
 * -} → {@code _}) and each of its ports:
 *
 * <pre>
 *   SVC_SERVICE_HOST                     cluster IP
 *   SVC_SERVICE_PORT                     first port's number
 *   SVC_SERVICE_PORT_&lt;PORTNAME&gt;          a named port's number
 *   SVC_PORT                             first port as proto://ip:port   (proto: tcp, udp or sctp)
 *   SVC_PORT_&lt;n&gt;_&lt;PROTO&gt;                proto://ip:n, the proto matching the name's
 *   SVC_PORT_&lt;n&gt;_&lt;PROTO&gt;_PROTO          the proto in lower case
 *   SVC_PORT_&lt;n&gt;_&lt;PROTO&gt;_PORT           n
 *   SVC_PORT_&lt;n&gt;_&lt;PROTO&gt;_ADDR           cluster IP
 * </pre>
 *
 * A host may be an IP address or a host name. A typo in a configuration variable does not pass for
 * one: {@code FERRY_METRIC_PORT=9090} has the name of {@code SVC_PORT} for a Service {@code
 * ferry-metric}, but its value is not {@code tcp://host:port}, so it is still refused by name.
 */
final class ServiceLinks {

  // A Service name is a DNS label: a letter, then letters, digits and '-', not ending in '-'; at
  // most 63 characters.
  private static final String SERVICE = "FERRY(?:_[A-Z0-9_]*[A-Z0-9])?";
  private static final int MAX_SERVICE = 63;
  // A port name: lower-case letters, digits and '-', at most 15 characters.
  private static final String PORT_NAME = "[A-Z0-9](?:[A-Z0-9_]{0,13}[A-Z0-9])?";
  private static final String PROTOCOL = "TCP|UDP|SCTP";

  private static final Pattern SERVICE_HOST = Pattern.compile("(" + SERVICE + ")_SERVICE_HOST");
  private static final Pattern SERVICE_PORT =
      Pattern.compile("(" + SERVICE + ")_SERVICE_PORT(?:_" + PORT_NAME + ")?");
  private static final Pattern FIRST_PORT = Pattern.compile("(" + SERVICE + ")_PORT");
  private static final Pattern PORT =
      Pattern.compile(
          "(" + SERVICE + ")_PORT_([0-9]+)_(" + PROTOCOL + ")" + "(_PROTO|_PORT|_ADDR)?");
  private static final Pattern URL =
      Pattern.compile("(tcp|udp|sctp)://(\\[[0-9a-fA-F:.]+\\]|[^:/\\[\\]]+):([0-9]+)");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
              + "(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*",
          Pattern.CASE_INSENSITIVE);

  private ServiceLinks() {}

  /**
   * Whether {@code name=value} is what the kubelet sets for a Service named {@code ferry} or {@code
   * ferry-*}.
   */
  static boolean isServiceLink(String name, String value) {
    if (name == null || value == null) {
      return false;
    }
    Matcher m = SERVICE_HOST.matcher(name);
    if (m.matches()) {
      return service(m) && isHost(value);
    }
    m = SERVICE_PORT.matcher(name);
    if (m.matches() && service(m) && portNumber(value) > 0) {
      return true;
    }
    m = PORT.matcher(name);
    if (m.matches() && service(m) && portNumber(m.group(2)) > 0 && portAttribute(m, value)) {
      return true;
    }
    m = FIRST_PORT.matcher(name);
    return m.matches() && service(m) && url(value, null, -1);
  }

  /**
   * The value of {@code SVC_PORT_<n>_<PROTO>} or of one of its {@code _PROTO}, {@code _PORT},
   * {@code _ADDR}.
   */
  private static boolean portAttribute(Matcher m, String value) {
    String protocol = m.group(3).toLowerCase(Locale.ROOT);
    int port = portNumber(m.group(2));
    String suffix = m.group(4);
    if (suffix == null) {
      return url(value, protocol, port);
    }
    return switch (suffix) {
      case "_PROTO" -> value.equals(protocol);
      case "_PORT" -> portNumber(value) == port;
      default -> isHost(value);
    };
  }

  private static boolean service(Matcher m) {
    return m.group(1).length() <= MAX_SERVICE;
  }

  /** {@code proto://host:port}, with the given protocol and port unless they are null / -1. */
  private static boolean url(String value, String protocol, int port) {
    Matcher m = URL.matcher(value);
    if (!m.matches() || (protocol != null && !m.group(1).equals(protocol))) {
      return false;
    }
    String host = m.group(2);
    // the kubelet brackets an IPv6 address in a URL (and only there)
    boolean hostOk =
        host.startsWith("[")
            ? host.indexOf(':') >= 0 && isIp(host.substring(1, host.length() - 1))
            : host.indexOf(':') < 0 && isHost(host);
    int number = portNumber(m.group(3));
    return hostOk && number > 0 && (port < 0 || number == port);
  }

  /**
   * An IP address literal, or a host name with at least one letter (so {@code 999.1.1.1} is
   * neither).
   */
  private static boolean isHost(String value) {
    return isIp(value)
        || (HOST_NAME.matcher(value).matches() && value.chars().anyMatch(Character::isLetter));
  }

  private static boolean isIp(String value) {
    // IpLiterals hands text with a ':' to InetAddress, which takes it for a literal only when it
    // starts like one
    // (a hex digit or ':'); anything else could make it look the text up as a name
    return !value.isEmpty()
        && (Character.digit(value.charAt(0), 16) >= 0 || value.charAt(0) == ':')
        && IpLiterals.parse(value) != null;
  }

  /** A port number as the kubelet prints it (1..65535, no sign, no leading zero); else -1. */
  private static int portNumber(String text) {
    if (text.isEmpty()
        || text.length() > 5
        || text.charAt(0) == '0'
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int n = Integer.parseInt(text);
    return n <= 65_535 ? n : -1;
  }
}
