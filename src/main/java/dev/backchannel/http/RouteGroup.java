package dev.backchannel.http;

/** A set of related routes; {@link #mount} lists them, each with its guards. */
public interface RouteGroup {
  void mount(Api api);
}
