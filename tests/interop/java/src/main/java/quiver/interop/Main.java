package quiver.interop;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.Range;
import org.apache.arrow.vector.compare.RangeEqualsVisitor;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The Java Flight client of quiver's interop tests: runs the shared scenario
 * (docs/clients.md) against a running quiverd with Arrow Java's flight-core and
 * prints one line per check. Exit status 1 if any check failed.
 *
 * <pre>
 *   java ... quiver.interop.Main --url grpc://127.0.0.1:PORT --tls-url grpc+tls://localhost:PORT
 *       --ca ca.pem --writer test --reader rita   (password in QUIVER_INTEROP_PASSWORD)
 * </pre>
 */
public final class Main {
  private int passed;
  private int failed;
  private final BufferAllocator allocator = new RootAllocator();
  private final Map<String, String> opts = new HashMap<>();

  /** A check's body: returns normally when it holds, throws otherwise. */
  interface Check {
    void run() throws Exception;
  }

  private boolean check(String what, Check body) {
    try {
      body.run();
      passed++;
      System.out.println("ok   " + what);
      return true;
    } catch (Exception | AssertionError e) {
      failed++;
      System.out.println("FAIL " + what + ": " + e);
      return false;
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /** Runs body, which must fail with a Flight status of the given code. */
  private static void wantCode(FlightStatusCode want, Check body) throws Exception {
    try {
      body.run();
    } catch (FlightRuntimeException e) {
      require(e.status().code() == want, "got " + e.status().code() + " (" + e + "), want " + want);
      return;
    }
    throw new AssertionError("succeeded, want " + want);
  }

  private FlightClient connect(String url, String caFile) throws Exception {
    URI uri = new URI(url);
    if (uri.getScheme().equals("grpc+tls")) {
      FlightClient.Builder builder =
          FlightClient.builder(allocator, Location.forGrpcTls(uri.getHost(), uri.getPort()));
      if (caFile != null) {
        try (InputStream ca = new FileInputStream(caFile)) {
          builder.trustedCertificates(ca);
          return builder.build();
        }
      }
      return builder.build();
    }
    return FlightClient.builder(allocator, Location.forGrpcInsecure(uri.getHost(), uri.getPort()))
        .build();
  }

  private static FlightDescriptor path(String name) {
    return FlightDescriptor.path(name.split("/"));
  }

  /** DoPut: fill(root) is called until it returns false, one batch per call. */
  interface Filler {
    boolean fill(VectorSchemaRoot root);
  }

  private static void put(
      FlightClient client,
      String name,
      VectorSchemaRoot root,
      DictionaryProvider dictionaries,
      Filler fill,
      CallOption... options) {
    FlightClient.ClientStreamListener listener =
        dictionaries == null
            ? client.startPut(path(name), root, new AsyncPutListener(), options)
            : client.startPut(path(name), root, dictionaries, new AsyncPutListener(), options);
    while (fill.fill(root)) {
      listener.putNext();
    }
    listener.completed();
    listener.getResult();
  }

  private static void putOnce(
      FlightClient client, String name, VectorSchemaRoot root, CallOption... options) {
    boolean[] sent = {false};
    put(client, name, root, null, r -> !sent[0] && (sent[0] = true), options);
  }

  private static Map<String, Long> list(FlightClient client, CallOption... options) {
    Map<String, Long> names = new HashMap<>();
    for (FlightInfo info : client.listFlights(Criteria.ALL, options)) {
      names.put(String.join("/", info.getDescriptor().getPath()), info.getRecords());
    }
    return names;
  }

  private static void drop(FlightClient client, String name, CallOption... options) {
    Iterator<Result> results =
        client.doAction(
            new Action("drop_dataset", name.getBytes(StandardCharsets.UTF_8)), options);
    while (results.hasNext()) {
      results.next();
    }
  }

  /** The decoded values of a dictionary-encoded vector, or the vector itself. */
  private ValueVector decoded(FieldVector v, DictionaryProvider provider) {
    if (v.getField().getDictionary() == null) {
      return v;
    }
    Dictionary dictionary = provider.lookup(v.getField().getDictionary().getId());
    return DictionaryEncoder.decode(v, dictionary);
  }

  /** Compares the rows of got (a received batch) with want's rows [offset, offset+n). */
  private void compareBatch(
      VectorSchemaRoot want,
      DictionaryProvider wantDicts,
      int offset,
      VectorSchemaRoot got,
      DictionaryProvider gotDicts,
      Map<String, String> problems) {
    for (FieldVector w : want.getFieldVectors()) {
      FieldVector g = got.getVector(w.getName());
      if (g == null) {
        problems.putIfAbsent(w.getName(), "missing from the result");
        continue;
      }
      ValueVector wv = decoded(w, wantDicts);
      ValueVector gv = decoded(g, gotDicts);
      // Dictionary columns compare by value: the dictionaries themselves may differ.
      boolean same =
          wv == w
              ? new RangeEqualsVisitor(wv, gv)
                  .rangeEquals(new Range(offset, 0, got.getRowCount()))
              : sameObjects(wv, offset, gv, got.getRowCount());
      String firstDifference = "";
      if (!same) {
        for (int i = 0; i < got.getRowCount(); i++) {
          Object a = wv.getObject(offset + i);
          Object b = gv.getObject(i);
          if (a == null ? b != null : !a.equals(b)) {
            firstDifference = ", row " + (offset + i) + ": " + b + ", want " + a;
            break;
          }
        }
      }
      if (wv != w) {
        wv.close();
      }
      if (gv != g) {
        gv.close();
      }
      if (!same) {
        problems.putIfAbsent(
            w.getName(),
            "values differ in rows " + offset + ".." + (offset + got.getRowCount())
                + firstDifference + " (got type " + g.getField() + ")");
      }
    }
  }

  private static boolean sameObjects(ValueVector want, int offset, ValueVector got, int n) {
    for (int i = 0; i < n; i++) {
      if (!java.util.Objects.equals(want.getObject(offset + i), got.getObject(i))) {
        return false;
      }
    }
    return true;
  }

  private void readAndCompare(
      FlightClient client,
      Ticket ticket,
      VectorSchemaRoot want,
      DictionaryProvider wantDicts,
      Map<String, String> problems,
      List<Field> gotFields,
      CallOption... options)
      throws Exception {
    int offset = 0;
    try (FlightStream stream = client.getStream(ticket, options)) {
      VectorSchemaRoot root = stream.getRoot();
      gotFields.addAll(root.getSchema().getFields());
      while (stream.next()) {
        compareBatch(want, wantDicts, offset, root, stream.getDictionaryProvider(), problems);
        offset += root.getRowCount();
      }
    }
    require(offset == want.getRowCount(), offset + " rows, want " + want.getRowCount());
  }

  private void storageFlow(FlightClient client, String name) {
    try (VectorSchemaRoot table = Data.cookbookTable(allocator)) {
      if (!check("storage: DoPut 3 rows on PATH " + name, () -> putOnce(client, name, table))) {
        return;
      }
      FlightInfo[] info = {null};
      boolean ok =
          check(
              "storage: GetFlightInfo: 3 records, the schema, 1 endpoint",
              () -> {
                info[0] = client.getInfo(path(name));
                require(
                    info[0].getRecords() == 3
                        && info[0].getEndpoints().size() == 1
                        && info[0].getBytes() > 0,
                    info[0].toString());
                require(
                    info[0].getSchema().equals(table.getSchema()),
                    "schema " + info[0].getSchema());
                require(
                    String.join("/", info[0].getDescriptor().getPath()).equals(name),
                    "descriptor " + info[0].getDescriptor());
              });
      if (!ok) {
        return;
      }
      check(
          "storage: DoGet by the endpoint's ticket returns the same table",
          () -> {
            Map<String, String> problems = new HashMap<>();
            readAndCompare(
                client,
                info[0].getEndpoints().get(0).getTicket(),
                table,
                null,
                problems,
                new java.util.ArrayList<>());
            require(problems.isEmpty(), problems.toString());
          });
      check(
          "storage: ListFlights lists it with 3 records",
          () -> {
            Map<String, Long> names = list(client);
            require(Long.valueOf(3).equals(names.get(name)), "listed " + names);
          });
      check(
          "storage: drop_dataset, then ListFlights no longer lists it",
          () -> {
            drop(client, name);
            require(!list(client).containsKey(name), "still listed");
          });
      check(
          "errors: GetFlightInfo of the dropped dataset -> NOT_FOUND",
          () -> wantCode(FlightStatusCode.NOT_FOUND, () -> client.getInfo(path(name))));
      check(
          "errors: DoGet of an unknown dataset -> NOT_FOUND",
          () ->
              wantCode(
                  FlightStatusCode.NOT_FOUND,
                  () -> {
                    try (FlightStream s =
                        client.getStream(
                            new Ticket("no/such/dataset".getBytes(StandardCharsets.UTF_8)))) {
                      while (s.next()) {}
                    }
                  }));
    }
  }

  private void streamed(FlightClient client, String name, long rows) {
    final int batchRows = 10_000;
    long[] sent = {0, 0, 0}; // rows, checksum, batches
    boolean ok;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(Data.STREAM_SCHEMA, allocator)) {
      ok =
          check(
              "stream: DoPut " + rows + " rows in " + ((rows + batchRows - 1) / batchRows)
                  + " batches",
              () ->
                  put(
                      client,
                      name,
                      root,
                      null,
                      r -> {
                        if (sent[0] >= rows) {
                          return false;
                        }
                        int n = (int) Math.min(batchRows, rows - sent[0]);
                        Data.fillStreamBatch(r, sent[0], n);
                        sent[0] += n;
                        sent[1] += Data.checksum(r);
                        sent[2]++;
                        return true;
                      }));
    }
    if (!ok) {
      return;
    }
    FlightInfo[] info = {null};
    if (!check(
        "stream: GetFlightInfo says " + rows + " records",
        () -> {
          info[0] = client.getInfo(path(name));
          require(info[0].getRecords() == rows, "total_records " + info[0].getRecords());
        })) {
      return;
    }
    long[] got = {0, 0, 0};
    Exception[] error = {null};
    try (FlightStream stream = client.getStream(info[0].getEndpoints().get(0).getTicket())) {
      while (stream.next()) {
        got[0] += stream.getRoot().getRowCount();
        got[1] += Data.checksum(stream.getRoot());
        got[2]++;
      }
    } catch (Exception e) {
      error[0] = e;
    }
    check(
        String.format(
            "stream: DoGet streams %d rows back in %d batches, checksum=%016x",
            got[0], got[2], got[1]),
        () -> {
          if (error[0] != null) {
            throw error[0];
          }
          require(
              got[0] == rows && got[1] == sent[1] && got[2] >= 2,
              String.format("want %d rows, checksum %016x", rows, sent[1]));
        });
    check("stream: drop_dataset", () -> drop(client, name));
  }

  private void everyType(FlightClient client, String name) {
    final int n = 1000;
    final int batch = 250;
    DictionaryProvider.MapDictionaryProvider dicts = new DictionaryProvider.MapDictionaryProvider();
    try (VectorSchemaRoot all = Data.allTypes(allocator, n, dicts);
        VectorSchemaRoot part = VectorSchemaRoot.create(all.getSchema(), allocator)) {
      int[] offset = {0};
      boolean ok =
          check(
              "types: DoPut " + all.getFieldVectors().size()
                  + " columns of every type, " + n + " rows in 4 batches",
              () ->
                  put(
                      client,
                      name,
                      part,
                      dicts,
                      r -> {
                        if (offset[0] >= n) {
                          return false;
                        }
                        try (VectorSchemaRoot slice = all.slice(offset[0], batch)) {
                          // Copy the slice into the root that startPut streams from.
                          for (int c = 0; c < slice.getFieldVectors().size(); c++) {
                            slice.getVector(c).makeTransferPair(r.getVector(c)).transfer();
                          }
                          r.setRowCount(batch);
                        }
                        offset[0] += batch;
                        return true;
                      }));
      if (!ok) {
        return;
      }
      Map<String, String> problems = new HashMap<>();
      List<Field> gotFields = new java.util.ArrayList<>();
      if (!check(
          "types: DoGet",
          () ->
              readAndCompare(
                  client,
                  new Ticket(name.getBytes(StandardCharsets.UTF_8)),
                  all,
                  dicts,
                  problems,
                  gotFields))) {
        return;
      }
      for (Field f : all.getSchema().getFields()) {
        String type =
            f.getDictionary() != null
                ? "dictionary<" + f.getType() + " -> Utf8>"
                : f.getType().toString();
        check(
            "types: " + f.getName() + " " + type + " round-trips",
            () -> require(!problems.containsKey(f.getName()), problems.get(f.getName())));
      }
      check(
          "types: the schema comes back equal, nested field names included",
          () -> {
            require(gotFields.size() == all.getSchema().getFields().size(), "fields " + gotFields);
            for (int i = 0; i < gotFields.size(); i++) {
              Field want = all.getSchema().getFields().get(i);
              Field got = gotFields.get(i);
              if (want.getDictionary() != null) {
                // Dictionary ids are per stream; compare the encoding's index type.
                require(
                    got.getDictionary() != null
                        && got.getDictionary().getIndexType()
                            .equals(want.getDictionary().getIndexType()),
                    "field " + got + ", want " + want);
              } else {
                require(got.equals(want), "field " + got + ", want " + want);
              }
            }
          });
      check("types: drop_dataset", () -> drop(client, name));
    } finally {
      for (long id : dicts.getDictionaryIds()) {
        dicts.lookup(id).getVector().close();
      }
    }
  }

  private void secured() throws Exception {
    String tlsUrl = opts.get("--tls-url");
    String writer = opts.get("--writer");
    String reader = opts.get("--reader");
    String password = System.getenv("QUIVER_INTEROP_PASSWORD");
    String prefix = opts.getOrDefault("--prefix", "java");
    check(
        "tls: a client that does not trust the dev CA is refused (UNAVAILABLE)",
        () -> {
          try (FlightClient untrusting = connect(tlsUrl, null)) {
            wantCode(FlightStatusCode.UNAVAILABLE, () -> list(untrusting));
          }
        });
    // One client per identity: authenticateBasicToken installs a middleware on its client.
    try (FlightClient anonymous = connect(tlsUrl, opts.get("--ca"));
        FlightClient w = connect(tlsUrl, opts.get("--ca"));
        FlightClient r = connect(tlsUrl, opts.get("--ca"));
        VectorSchemaRoot table = Data.cookbookTable(allocator)) {
      check("tls: connect " + tlsUrl + " trusting the dev CA", () -> {});
      check(
          "auth: a call without credentials -> UNAUTHENTICATED",
          () -> wantCode(FlightStatusCode.UNAUTHENTICATED, () -> list(anonymous)));
      check(
          "auth: Basic login with a wrong password -> UNAUTHENTICATED",
          () ->
              wantCode(
                  FlightStatusCode.UNAUTHENTICATED,
                  () -> anonymous.authenticateBasicToken(writer, password + "-wrong")));
      CredentialCallOption[] writerToken = {null};
      if (!check(
          "auth: authenticateBasicToken(" + writer + ") returns a Bearer token",
          () -> {
            Optional<CredentialCallOption> token = w.authenticateBasicToken(writer, password);
            require(token.isPresent(), "no token");
            writerToken[0] = token.get();
          })) {
        return;
      }
      String name = prefix + "/secured";
      check(
          "auth: with the token over TLS, DoPut, GetFlightInfo and DoGet",
          () -> {
            putOnce(w, name, table, writerToken[0]);
            FlightInfo info = w.getInfo(path(name), writerToken[0]);
            Map<String, String> problems = new HashMap<>();
            readAndCompare(
                w,
                info.getEndpoints().get(0).getTicket(),
                table,
                null,
                problems,
                new java.util.ArrayList<>(),
                writerToken[0]);
            require(problems.isEmpty(), problems.toString());
          });
      CredentialCallOption[] readerToken = {null};
      if (!check(
          "auth: authenticateBasicToken(" + reader + ") (reader role)",
          () -> readerToken[0] = r.authenticateBasicToken(reader, password).orElseThrow())) {
        return;
      }
      check(
          "auth: the reader lists the writer's dataset",
          () -> {
            Map<String, Long> names = list(r, readerToken[0]);
            require(Long.valueOf(3).equals(names.get(name)), "listed " + names);
          });
      check(
          "auth: DoPut by the reader -> PERMISSION_DENIED",
          () ->
              wantCode(
                  FlightStatusCode.UNAUTHORIZED,
                  () -> putOnce(r, prefix + "/by-reader", table, readerToken[0])));
      check(
          "auth: drop_dataset by the reader -> PERMISSION_DENIED",
          () -> wantCode(FlightStatusCode.UNAUTHORIZED, () -> drop(r, name, readerToken[0])));
      check("auth: drop_dataset by the writer", () -> drop(w, name, writerToken[0]));
    }
  }

  private int run(String[] args) throws Exception {
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    for (String required : List.of("--url", "--tls-url", "--ca", "--writer", "--reader")) {
      if (!opts.containsKey(required) || System.getenv("QUIVER_INTEROP_PASSWORD") == null) {
        System.err.println(
            "usage: --url --tls-url --ca --writer --reader, QUIVER_INTEROP_PASSWORD set");
        return 2;
      }
    }
    String prefix = opts.getOrDefault("--prefix", "java");
    long rows = Long.parseLong(opts.getOrDefault("--rows", "1000000"));
    FlightClient[] client = {null};
    if (check("connect " + opts.get("--url"), () -> client[0] = connect(opts.get("--url"), null))) {
      try (FlightClient c = client[0]) {
        storageFlow(c, prefix + "/uploaded.parquet");
        streamed(c, prefix + "/stream", rows);
        everyType(c, prefix + "/types");
        secured();
      }
    }
    System.out.println("java: " + passed + " passed, " + failed + " failed");
    return failed > 0 || passed == 0 ? 1 : 0;
  }

  public static void main(String[] args) throws Exception {
    int code = new Main().run(args);
    System.exit(code);
  }
}
