package dev.workspacesweb.exporter.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that any JVM can load it: on a JVM older than 21 it says what to do
 * (instead of an UnsupportedClassVersionError naming a class-file version) and exits 2; otherwise it runs
 * {@code Main}. Kept apart from the agent's sources (src/launcher/java) because it is the only class compiled for 8.
 */
public final class Launcher {
    static final int REQUIRED = 21;
    /** The JDK's switch (JEP 416) to its reflection through JNI instead of method handles. */
    static final String NATIVE_ACCESSORS = "jdk.reflect.useNativeAccessorOnly";

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        int running = feature(System.getProperty("java.specification.version"));
        if (running < REQUIRED) {
            System.err.println(message(running, System.getProperty("java.home")));
            System.exit(2);
        }
        if (System.getProperty(NATIVE_ACCESSORS) == null) {
            // Before the first reflective call, which fixes it for the JVM's life: reflection calls through JNI
            // instead of spinning method-handle classes per constructor and method. Start-up calls some hundred
            // constructors and methods once each (Jackson binding the configuration records, picocli), and the
            // spinning cost 0.1-0.2 s at start-up (BENCHMARKS.md). A scrape makes four reflective calls (Micrometer's
            // processor and file descriptor meters), whose cost is the work of the methods called, not the call.
            System.setProperty(NATIVE_ACCESSORS, "true");
        }
        try {
            Class.forName("dev.workspacesweb.exporter.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** 8 for "1.8", 17 for "17". */
    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int dot = v.indexOf('.');
        return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    }

    static String message(int running, String javaHome) {
        return "workspaces-web-exporter needs Java " + REQUIRED + " or newer; this is Java " + running + " (" + javaHome
                + "). Run it with a JDK " + REQUIRED + "+ (https://adoptium.net, or the openjdk-21 package of your "
                + "distribution), e.g.: /path/to/jdk-21/bin/java -jar target/workspaces-web-exporter.jar";
    }
}
