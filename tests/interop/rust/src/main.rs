//! The Rust Flight client of quiver's interop tests: runs the shared scenario
//! (docs/clients.md) against a running quiverd with the `arrow-flight` crate
//! and prints one line per check. Exit status 1 if any check failed.
//!
//!   quiver-interop --url grpc://127.0.0.1:PORT --tls-url grpc+tls://localhost:PORT \
//!       --ca ca.pem --writer test --reader rita   (password in QUIVER_INTEROP_PASSWORD)

mod data;

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_flight::encode::{DictionaryHandling, FlightDataEncoderBuilder};
use arrow_flight::error::FlightError;
use arrow_flight::{Action, FlightClient, FlightDescriptor, HandshakeRequest, Ticket};
use arrow_schema::Schema;
use base64::Engine;
use futures::{stream, StreamExt, TryStreamExt};
use tonic::metadata::MetadataValue;
use tonic::transport::{Certificate, Channel, ClientTlsConfig};
use tonic::Code;

type Result<T> = std::result::Result<T, String>;

struct Options {
    url: String,
    tls_url: String,
    ca: String,
    writer: String,
    reader: String,
    password: String,
    rows: i64,
    prefix: String,
}

#[derive(Default)]
struct Report {
    passed: usize,
    failed: usize,
}

impl Report {
    fn check<T>(&mut self, what: &str, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => {
                self.passed += 1;
                println!("ok   {what}");
                Some(value)
            }
            Err(e) => {
                self.failed += 1;
                println!("FAIL {what}: {e}");
                None
            }
        }
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The gRPC status code of a Flight error, if it carries one.
fn code_of(e: &FlightError) -> Option<Code> {
    match e {
        FlightError::Tonic(status) => Some(status.code()),
        _ => None,
    }
}

fn want_code<T>(result: std::result::Result<T, FlightError>, want: Code) -> Result<()> {
    match result {
        Ok(_) => Err(format!("succeeded, want {want:?}")),
        Err(e) if code_of(&e) == Some(want) => Ok(()),
        Err(e) => Err(format!("got {e}, want {want:?}")),
    }
}

/// A channel to grpc://HOST:PORT or grpc+tls://HOST:PORT (trusting `ca`, if any).
fn channel(url: &str, ca: Option<&[u8]>) -> Result<Channel> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("grpc+tls://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("grpc://") {
        (false, rest)
    } else {
        return Err(format!("unsupported URL {url}"));
    };
    let scheme = if tls { "https" } else { "http" };
    let mut endpoint = Channel::from_shared(format!("{scheme}://{rest}")).map_err(err)?;
    if tls {
        let mut config = ClientTlsConfig::new();
        if let Some(pem) = ca {
            config = config.ca_certificate(Certificate::from_pem(pem));
        }
        endpoint = endpoint.tls_config(config).map_err(err)?;
    }
    Ok(endpoint.connect_lazy())
}

fn path(name: &str) -> FlightDescriptor {
    FlightDescriptor::new_path(name.split('/').map(String::from).collect())
}

async fn put(
    client: &mut FlightClient,
    name: &str,
    schema: Arc<Schema>,
    batches: impl futures::Stream<Item = RecordBatch> + Send + 'static,
) -> std::result::Result<(), FlightError> {
    // Dictionaries are sent as dictionaries: arrow-flight's default (Hydrate) would
    // send their values instead and the dataset would store a plain column.
    let data = FlightDataEncoderBuilder::new()
        .with_schema(schema)
        .with_flight_descriptor(Some(path(name)))
        .with_dictionary_handling(DictionaryHandling::Resend)
        .build(batches.map(Ok));
    client.do_put(data).await?.try_collect::<Vec<_>>().await?;
    Ok(())
}

async fn get(client: &mut FlightClient, ticket: Ticket) -> std::result::Result<Vec<RecordBatch>, FlightError> {
    client.do_get(ticket).await?.try_collect().await
}

async fn list(client: &mut FlightClient) -> std::result::Result<HashMap<String, i64>, FlightError> {
    let infos: Vec<_> = client.list_flights("").await?.try_collect().await?;
    Ok(infos
        .into_iter()
        .map(|info| (info.flight_descriptor.map(|d| d.path.join("/")).unwrap_or_default(), info.total_records))
        .collect())
}

async fn drop_dataset(client: &mut FlightClient, name: &str) -> std::result::Result<(), FlightError> {
    client
        .do_action(Action::new("drop_dataset", name.to_string()))
        .await?
        .try_collect::<Vec<_>>()
        .await?;
    Ok(())
}

/// Compares a column that came back with the one sent: same type (nested field names
/// included) and values.
fn equal_column(want: &ArrayRef, got: &[&dyn Array]) -> Result<()> {
    let got = arrow_select::concat::concat(got).map_err(err)?;
    if got.data_type() != want.data_type() {
        return Err(format!("type {:?}, want {:?}", got.data_type(), want.data_type()));
    }
    if got.as_ref() != want.as_ref() {
        return Err("values differ".into());
    }
    Ok(())
}

fn equal_batches(want: &RecordBatch, got: &[RecordBatch]) -> Result<()> {
    let first = got.first().ok_or("no batch")?;
    if first.schema().fields() != want.schema().fields() {
        return Err(format!("schema {:?}, want {:?}", first.schema(), want.schema()));
    }
    for (i, col) in want.columns().iter().enumerate() {
        let parts: Vec<&dyn Array> = got.iter().map(|b| b.column(i).as_ref()).collect();
        equal_column(col, &parts).map_err(|e| format!("column {}: {e}", want.schema().field(i).name()))?;
    }
    Ok(())
}

/// Flight's Basic login, as pyarrow's authenticate_basic_token does it: a Handshake
/// with "authorization: Basic base64(user:password)"; the reply's authorization header
/// is the bearer token. arrow-flight has no call for it, so this uses the generated
/// client. Returns the header value and where it came (headers or trailers).
async fn login(channel: Channel, user: &str, password: &str) -> std::result::Result<(String, &'static str), FlightError> {
    let mut inner = arrow_flight::flight_service_client::FlightServiceClient::new(channel);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let mut request = tonic::Request::new(stream::iter(vec![HandshakeRequest::default()]));
    let value: MetadataValue<_> = format!("Basic {basic}").parse().map_err(|e| FlightError::ProtocolError(format!("{e}")))?;
    request.metadata_mut().insert("authorization", value);
    let response = inner.handshake(request).await?;
    let from_headers = response.metadata().get("authorization").and_then(|v| v.to_str().ok()).map(String::from);
    let mut responses = response.into_inner();
    while responses.message().await?.is_some() {}
    if let Some(token) = from_headers {
        return Ok((token, "headers"));
    }
    let trailers = responses.trailers().await?;
    match trailers.as_ref().and_then(|t| t.get("authorization")).and_then(|v| v.to_str().ok()) {
        Some(token) => Ok((token.to_string(), "trailers")),
        None => Err(FlightError::ProtocolError("no authorization header in the reply".into())),
    }
}

fn client_with(channel: Channel, authorization: &str) -> FlightClient {
    let mut client = FlightClient::new(channel);
    client.add_header("authorization", authorization).unwrap();
    client
}

async fn storage_flow(r: &mut Report, client: &mut FlightClient, name: &str) {
    let table = data::cookbook_table();
    let batches = stream::iter(vec![table.clone()]);
    if r.check(&format!("storage: DoPut 3 rows on PATH {name}"), put(client, name, table.schema(), batches).await.map_err(err)).is_none() {
        return;
    }
    let info = client.get_flight_info(path(name)).await.map_err(err).and_then(|info| {
        let schema = info.clone().try_decode_schema().map_err(err)?;
        if info.total_records != 3 || info.endpoint.len() != 1 || info.total_bytes <= 0 {
            return Err(format!("records {}, endpoints {}, bytes {}", info.total_records, info.endpoint.len(), info.total_bytes));
        }
        if schema.fields() != table.schema().fields() {
            return Err(format!("schema {schema:?}"));
        }
        if info.flight_descriptor.as_ref().map(|d| d.path.join("/")) != Some(name.to_string()) {
            return Err(format!("descriptor {:?}", info.flight_descriptor));
        }
        Ok(info)
    });
    let Some(info) = r.check("storage: GetFlightInfo: 3 records, the schema, 1 endpoint", info) else {
        return;
    };
    let ticket = info.endpoint[0].ticket.clone().unwrap_or_default();
    let got = get(client, ticket).await.map_err(err);
    r.check("storage: DoGet by the endpoint's ticket returns the same table", got.and_then(|got| equal_batches(&table, &got)));
    let listed = list(client).await.map_err(err).and_then(|names| {
        if names.get(name) == Some(&3) { Ok(()) } else { Err(format!("listed {names:?}")) }
    });
    r.check("storage: ListFlights lists it with 3 records", listed);
    let dropped = match drop_dataset(client, name).await {
        Ok(()) => list(client).await.map_err(err).and_then(|names| {
            if names.contains_key(name) { Err("still listed".to_string()) } else { Ok(()) }
        }),
        Err(e) => Err(err(e)),
    };
    r.check("storage: drop_dataset, then ListFlights no longer lists it", dropped);
    r.check("errors: GetFlightInfo of the dropped dataset -> NOT_FOUND", want_code(client.get_flight_info(path(name)).await, Code::NotFound));
    r.check("errors: DoGet of an unknown dataset -> NOT_FOUND", want_code(get(client, Ticket::new("no/such/dataset")).await, Code::NotFound));
}

async fn streamed(r: &mut Report, client: &mut FlightClient, name: &str, rows: i64) {
    const BATCH: i64 = 10_000;
    let starts: Vec<i64> = (0..rows).step_by(BATCH as usize).collect();
    let batches = starts.len();
    let sent_sum = starts.iter().fold(0u64, |s, &start| s.wrapping_add(data::checksum(&data::stream_batch(start, BATCH.min(rows - start)))));
    let source = stream::iter(starts).map(move |start| data::stream_batch(start, BATCH.min(rows - start)));
    if r.check(&format!("stream: DoPut {rows} rows in {batches} batches"), put(client, name, data::stream_schema(), source).await.map_err(err)).is_none() {
        return;
    }
    let info = client.get_flight_info(path(name)).await.map_err(err).and_then(|info| {
        if info.total_records == rows { Ok(info) } else { Err(format!("total_records {}", info.total_records)) }
    });
    let Some(info) = r.check(&format!("stream: GetFlightInfo says {rows} records"), info) else {
        return;
    };
    let ticket = info.endpoint[0].ticket.clone().unwrap_or_default();
    let (mut got, mut got_sum, mut got_batches) = (0i64, 0u64, 0usize);
    let result = match client.do_get(ticket).await {
        Ok(mut s) => loop {
            match s.try_next().await {
                Ok(Some(batch)) => {
                    got += batch.num_rows() as i64;
                    got_sum = got_sum.wrapping_add(data::checksum(&batch));
                    got_batches += 1;
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(err(e)),
            }
        },
        Err(e) => Err(err(e)),
    };
    let result = result.and_then(|_| {
        if got == rows && got_sum == sent_sum && got_batches >= 2 {
            Ok(())
        } else {
            Err(format!("{got} rows in {got_batches} batches, checksum {got_sum:016x}, want {rows} rows, {sent_sum:016x}"))
        }
    });
    r.check(&format!("stream: DoGet streams {got} rows back in {got_batches} batches, checksum={got_sum:016x}"), result);
    r.check("stream: drop_dataset", drop_dataset(client, name).await.map_err(err));
}

async fn every_type(r: &mut Report, client: &mut FlightClient, name: &str) {
    let n = 1000;
    let batch = data::all_types_batch(n);
    let slices: Vec<RecordBatch> = (0..n).step_by(250).map(|s| batch.slice(s, 250)).collect();
    let what = format!("types: DoPut {} columns of every type, {n} rows in 4 batches", batch.num_columns());
    if r.check(&what, put(client, name, batch.schema(), stream::iter(slices)).await.map_err(err)).is_none() {
        return;
    }
    let Some(got) = r.check("types: DoGet", get(client, Ticket::new(name.to_string())).await.map_err(err)) else {
        return;
    };
    let Some(first) = got.first() else {
        r.check::<()>("types: DoGet returned batches", Err("none".into()));
        return;
    };
    let got_schema = first.schema();
    for (i, field) in batch.schema().fields().iter().enumerate() {
        let result = match got_schema.index_of(field.name()) {
            Ok(j) => {
                let parts: Vec<&dyn Array> = got.iter().map(|b| b.column(j).as_ref()).collect();
                equal_column(batch.column(i), &parts)
            }
            Err(_) => Err("missing from the result".into()),
        };
        r.check(&format!("types: {} {} round-trips", field.name(), field.data_type()), result);
    }
    let same = if got_schema.fields() == batch.schema().fields() {
        Ok(())
    } else {
        Err(format!("schema\n{got_schema:?}\nwant\n{:?}", batch.schema()))
    };
    r.check("types: the schema comes back equal, nested field names included", same);
    r.check("types: drop_dataset", drop_dataset(client, name).await.map_err(err));
}

async fn secured(r: &mut Report, o: &Options) {
    let untrusting = channel(&o.tls_url, None).map(FlightClient::new);
    let refused = match untrusting {
        Ok(mut c) => want_code(list(&mut c).await, Code::Unavailable),
        Err(e) => Err(e),
    };
    r.check("tls: a client that does not trust the dev CA is refused (UNAVAILABLE)", refused);
    let ca = std::fs::read(&o.ca).map_err(err);
    let Some(chan) = r.check(&format!("tls: connect {} trusting the dev CA", o.tls_url), ca.and_then(|pem| channel(&o.tls_url, Some(&pem)))) else {
        return;
    };
    let mut anonymous = FlightClient::new(chan.clone());
    r.check("auth: a call without credentials -> UNAUTHENTICATED", want_code(list(&mut anonymous).await, Code::Unauthenticated));
    let wrong = login(chan.clone(), &o.writer, &format!("{}-wrong", o.password)).await;
    r.check("auth: Basic login with a wrong password -> UNAUTHENTICATED", want_code(wrong, Code::Unauthenticated));
    let token = login(chan.clone(), &o.writer, &o.password).await.map_err(err).and_then(|(token, from)| {
        if token.starts_with("Bearer ") { Ok((token, from)) } else { Err(format!("authorization {token:?}")) }
    });
    let Some((token, from)) = r.check(&format!("auth: Basic login ({}) returns a Bearer token", o.writer), token) else {
        return;
    };
    println!("     (the token came in the Handshake reply's {from})");
    let mut writer = client_with(chan.clone(), &token);
    let name = format!("{}/secured", o.prefix);
    let table = data::cookbook_table();
    let flow = async {
        put(&mut writer, &name, table.schema(), stream::iter(vec![table.clone()])).await.map_err(err)?;
        let info = writer.get_flight_info(path(&name)).await.map_err(err)?;
        let got = get(&mut writer, info.endpoint[0].ticket.clone().unwrap_or_default()).await.map_err(err)?;
        equal_batches(&table, &got)
    }
    .await;
    r.check("auth: with the token over TLS, DoPut, GetFlightInfo and DoGet", flow);
    let reader_token = login(chan.clone(), &o.reader, &o.password).await.map_err(err);
    let Some((reader_token, _)) = r.check(&format!("auth: Basic login ({}) (reader role)", o.reader), reader_token) else {
        return;
    };
    let mut reader = client_with(chan.clone(), &reader_token);
    let listed = list(&mut reader).await.map_err(err).and_then(|names| {
        if names.get(&name) == Some(&3) { Ok(()) } else { Err(format!("listed {names:?}")) }
    });
    r.check("auth: the reader lists the writer's dataset", listed);
    let denied = put(&mut reader, &format!("{}/by-reader", o.prefix), table.schema(), stream::iter(vec![table.clone()])).await;
    r.check("auth: DoPut by the reader -> PERMISSION_DENIED", want_code(denied, Code::PermissionDenied));
    r.check("auth: drop_dataset by the reader -> PERMISSION_DENIED", want_code(drop_dataset(&mut reader, &name).await, Code::PermissionDenied));
    r.check("auth: drop_dataset by the writer", drop_dataset(&mut writer, &name).await.map_err(err));
}

fn parse_args() -> Result<Options> {
    let mut o = Options {
        url: String::new(),
        tls_url: String::new(),
        ca: String::new(),
        writer: String::new(),
        reader: String::new(),
        password: std::env::var("QUIVER_INTEROP_PASSWORD").unwrap_or_default(),
        rows: 1_000_000,
        prefix: "rust".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => o.url = value,
            "--tls-url" => o.tls_url = value,
            "--ca" => o.ca = value,
            "--writer" => o.writer = value,
            "--reader" => o.reader = value,
            "--rows" => o.rows = value.parse().map_err(err)?,
            "--prefix" => o.prefix = value,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if [&o.url, &o.tls_url, &o.ca, &o.writer, &o.reader, &o.password].iter().any(|v| v.is_empty()) {
        return Err("usage: --url --tls-url --ca --writer --reader, QUIVER_INTEROP_PASSWORD set".into());
    }
    Ok(o)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut r = Report::default();
    if let Some(chan) = r.check(&format!("connect {}", o.url), channel(&o.url, None)) {
        let mut client = FlightClient::new(chan);
        storage_flow(&mut r, &mut client, &format!("{}/uploaded.parquet", o.prefix)).await;
        streamed(&mut r, &mut client, &format!("{}/stream", o.prefix), o.rows).await;
        every_type(&mut r, &mut client, &format!("{}/types", o.prefix)).await;
        secured(&mut r, &o).await;
    }
    println!("rust: {} passed, {} failed", r.passed, r.failed);
    if r.failed > 0 || r.passed == 0 {
        std::process::exit(1);
    }
}
