package dev.ferry.config;

import static dev.ferry.config.ConfigSection.MAX_INT;

/** Reads the API's side of HTTP: the listener ({@code http}) and the request-head limits. */
final class HttpReader {
  private HttpReader() {}

  static FerryConfig.Http http(ConfigSection s) {
    return new FerryConfig.Http(
        s.nonEmptyString("host"),
        s.intIn("port", 0, 65_535),
        s.intIn("instances", 0, MAX_INT),
        s.duration("drainTimeout", false),
        TlsReader.http(s.child("tls")));
  }

  static FerryConfig.Requests requests(ConfigSection s) {
    // below these floors even an ordinary SDK request (token, content type, a few Upstash-*
    // headers) would not fit
    return new FerryConfig.Requests(
        s.intIn("maxHeaders", 16, MAX_INT),
        s.intIn("maxHeaderBytes", 1024, MAX_INT),
        s.intIn("maxRequestLineBytes", 1024, MAX_INT));
  }
}
