package com.relgraph.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs an embedded Neo4j Community with only the Bolt connector, on loopback.
 *
 * <p>Prints one line {@code NEO4J_READY bolt://host:port} on stdout once Bolt accepts
 * connections, and shuts the database down cleanly on SIGTERM/SIGINT, or when stdin
 * reaches end-of-file with {@code --exit-on-stdin-eof} (so a crashed parent never
 * leaves an orphan holding the data directory).
 */
public final class Launcher {
    private Launcher() {}

    private static final class Options {
        Path dataDir;
        String host = "127.0.0.1";
        int port = 0;
        String pageCache = "256m";
        Path configFile;
        boolean exitOnStdinEof;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-launcher: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Files.createDirectories(o.dataDir);
        int port = o.port == 0 ? freePort(o.host) : o.port;

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(o.dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(o.host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(o.host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(o.pageCache))
                // Loopback-only development store: keep transaction logs small.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files");
        if (o.configFile != null) {
            builder.loadPropertiesFromFile(o.configFile);
        }

        DatabaseManagementService dbms = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            shutdown(dbms);
            stopped.countDown();
        }, "neo4j-launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        // Opens a transaction to make sure the default database is online, not just the DBMS.
        try (var tx = db.beginTx()) {
            tx.execute("RETURN 1").close();
            tx.commit();
        }
        HostnamePort bound = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        int boundPort = bound != null ? bound.getPort() : port;
        System.out.println("NEO4J_READY bolt://" + o.host + ":" + boundPort);
        System.out.flush();

        if (o.exitOnStdinEof) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // Input is ignored; only end-of-file matters.
                    }
                } catch (IOException ignored) {
                    // A broken pipe means the parent is gone: stop as on EOF.
                }
                System.exit(0);
            }, "neo4j-launcher-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static void shutdown(DatabaseManagementService dbms) {
        try {
            dbms.shutdown();
            System.out.println("NEO4J_STOPPED");
            System.out.flush();
        } catch (RuntimeException e) {
            System.err.println("neo4j-launcher: shutdown failed: " + e);
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }

    private static long parseBytes(String v) {
        String s = v.trim().toLowerCase();
        long mult = 1;
        if (s.endsWith("g")) {
            mult = ByteUnit.gibiBytes(1);
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = ByteUnit.mebiBytes(1);
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("k")) {
            mult = ByteUnit.kibiBytes(1);
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s) * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--page-cache: not a size: " + v);
        }
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, a));
                case "--host" -> o.host = value(args, ++i, a);
                case "--port" -> {
                    String v = value(args, ++i, a);
                    try {
                        o.port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port: not a number: " + v);
                    }
                    if (o.port < 0 || o.port > 65535) {
                        throw new IllegalArgumentException("--port: out of range: " + v);
                    }
                }
                case "--page-cache" -> o.pageCache = value(args, ++i, a);
                case "--config" -> o.configFile = Path.of(value(args, ++i, a));
                case "--exit-on-stdin-eof" -> o.exitOnStdinEof = true;
                case "--help", "-h" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        if (o.dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        parseBytes(o.pageCache);
        return o;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: neo4j-launcher --data-dir DIR [--host 127.0.0.1] [--port 0] "
                + "[--page-cache 256m] [--config neo4j.conf] [--exit-on-stdin-eof]";
    }
}
