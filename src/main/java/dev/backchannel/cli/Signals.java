package dev.backchannel.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.logging.Logger;

/**
 * Traps SIGTERM and SIGINT so {@code serve} can stop gracefully and exit 0; by default the JVM
 * runs its shutdown hooks and exits 143. Uses {@code sun.misc.Signal} (module jdk.unsupported)
 * reflectively, so the build has no internal-API warnings and a runtime without it falls back
 * to the default behaviour.
 */
final class Signals {
  private static final Logger LOG = Logger.getLogger(Signals.class.getName());

  private Signals() {}

  /** Runs {@code action} on each SIGTERM or SIGINT, when the runtime lets us trap them. */
  static void onTermination(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      InvocationHandler calls = (proxy, method, args) -> {
        if (method.getDeclaringClass() == Object.class) {
          return method.getName().equals("equals") ? proxy == args[0]
              : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "backchannel signal handler";
        }
        action.run();
        return null;
      };
      Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType}, calls);
      for (String name : new String[] {"TERM", "INT"}) {
        signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance(name),
            handler);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warning("cannot trap SIGTERM (" + e + "); the JVM's shutdown hook will stop the server instead");
    }
  }
}
