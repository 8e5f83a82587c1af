import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Serves the MongoDB wire protocol on a local port with mongo-java-server, storing data in
 * an H2 MVStore file. The last fallback for local development and tests where mongod cannot
 * run: it acknowledges writes before they are durable, so a crash can lose them.
 *
 * <p>Run as a single-file program: {@code java -cp "libs/*" OrderlyMongoServer.java
 * --host 127.0.0.1 --port 27017 --data-file data/orderly.mv}. With {@code --in-memory} nothing
 * is written to disk. SIGTERM closes the listener and flushes the store before exit.
 */
public final class OrderlyMongoServer {
  /**
   * MongoDB 5.0 with its real wire version, 13. mongo-java-server's own MONGO_5_0 reports 8
   * (MongoDB 4.2), which MongoDB Node.js driver 7 refuses: it needs 9 or more.
   */
  private static final MongoVersion MONGO_5_0_WIRE_13 =
      new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
          return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
          return 13;
        }
      };

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 27017;
    String dataFile = null;
    boolean inMemory = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--data-file" -> dataFile = args[++i];
        case "--in-memory" -> inMemory = true;
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }
    if (!inMemory && dataFile == null) {
      System.err.println("either --data-file FILE or --in-memory is required");
      System.exit(2);
    }

    AbstractMongoBackend backend;
    if (inMemory) {
      backend = new MemoryBackend();
    } else {
      Path file = Path.of(dataFile).toAbsolutePath();
      Files.createDirectories(file.getParent());
      backend = new H2Backend(file.toString());
    }
    backend.version(MONGO_5_0_WIRE_13);

    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    System.err.println("mongo-java-server listening on " + host + ":" + port
        + (inMemory ? " (in memory)" : " (data in " + dataFile + ")"));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      stopped.countDown();
      System.err.println("mongo-java-server stopped");
    }));
    stopped.await();
  }
}
