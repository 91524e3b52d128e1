package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// connect opens a Flight client for grpc://HOST:PORT or grpc+tls://HOST:PORT; caFile
// (may be empty: system roots) is trusted for TLS.
func connect(rawURL, caFile string) (flight.Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	var creds credentials.TransportCredentials
	switch u.Scheme {
	case "grpc", "grpc+tcp":
		creds = insecure.NewCredentials()
	case "grpc+tls":
		cfg := &tls.Config{}
		if caFile != "" {
			pem, err := os.ReadFile(caFile)
			if err != nil {
				return nil, err
			}
			cfg.RootCAs = x509.NewCertPool()
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("no certificate in %s", caFile)
			}
		}
		creds = credentials.NewTLS(cfg)
	default:
		return nil, fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	return flight.NewClientWithMiddleware(u.Host, nil, nil, grpc.WithTransportCredentials(creds))
}

func pathDescriptor(name string) *flight.FlightDescriptor {
	return &flight.FlightDescriptor{Type: flight.DescriptorPATH, Path: strings.Split(name, "/")}
}

// put uploads batches with DoPut and returns the call's final status.
func put(ctx context.Context, c flight.Client, name string, schema *arrow.Schema, next func() arrow.RecordBatch) error {
	stream, err := c.DoPut(ctx)
	if err != nil {
		return err
	}
	w := flight.NewRecordWriter(stream, ipc.WithSchema(schema))
	w.SetFlightDescriptor(pathDescriptor(name))
	var writeErr error
	for rec := next(); rec != nil && writeErr == nil; rec = next() {
		writeErr = w.Write(rec)
		rec.Release()
	}
	if writeErr == nil {
		writeErr = w.Close()
	}
	_ = stream.CloseSend()
	// The server's verdict (also after a failed write: the stream was refused).
	for {
		_, err := stream.Recv()
		if err == io.EOF {
			return writeErr
		}
		if err != nil {
			return err
		}
	}
}

func putBatches(ctx context.Context, c flight.Client, name string, recs ...arrow.RecordBatch) error {
	i := 0
	return put(ctx, c, name, recs[0].Schema(), func() arrow.RecordBatch {
		if i == len(recs) {
			return nil
		}
		recs[i].Retain()
		i++
		return recs[i-1]
	})
}

// get reads a DoGet stream, calling each for every batch.
func get(ctx context.Context, c flight.Client, ticket *flight.Ticket, each func(arrow.RecordBatch)) (*arrow.Schema, error) {
	stream, err := c.DoGet(ctx, ticket)
	if err != nil {
		return nil, err
	}
	r, err := flight.NewRecordReader(stream)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	for r.Next() {
		each(r.RecordBatch())
	}
	return r.Schema(), r.Err()
}

func getAll(ctx context.Context, c flight.Client, ticket *flight.Ticket) (arrow.Table, error) {
	var recs []arrow.RecordBatch
	schema, err := get(ctx, c, ticket, func(rec arrow.RecordBatch) {
		rec.Retain()
		recs = append(recs, rec)
	})
	if err != nil {
		return nil, err
	}
	t := array.NewTableFromRecords(schema, recs)
	for _, rec := range recs {
		rec.Release()
	}
	return t, nil
}

func listNames(ctx context.Context, c flight.Client) (map[string]int64, error) {
	stream, err := c.ListFlights(ctx, &flight.Criteria{})
	if err != nil {
		return nil, err
	}
	names := map[string]int64{}
	for {
		info, err := stream.Recv()
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names[strings.Join(info.FlightDescriptor.Path, "/")] = info.TotalRecords
	}
}

func drop(ctx context.Context, c flight.Client, name string) error {
	stream, err := c.DoAction(ctx, &flight.Action{Type: "drop_dataset", Body: []byte(name)})
	if err != nil {
		return err
	}
	return flight.ReadUntilEOF(stream)
}

// wantCode checks that err is a gRPC status with the given code.
func wantCode(err error, want codes.Code) error {
	if err == nil {
		return fmt.Errorf("succeeded, want %s", want)
	}
	if got := status.Code(err); got != want {
		return fmt.Errorf("got %s (%v), want %s", got, err, want)
	}
	return nil
}

func equalTables(want arrow.RecordBatch, got arrow.Table) error {
	if !want.Schema().Equal(got.Schema()) {
		return fmt.Errorf("schema %s, want %s", got.Schema(), want.Schema())
	}
	if got.NumRows() != want.NumRows() {
		return fmt.Errorf("%d rows, want %d", got.NumRows(), want.NumRows())
	}
	for i := 0; i < int(want.NumCols()); i++ {
		if err := equalColumn(want.Column(i), got.Column(i)); err != nil {
			return fmt.Errorf("column %s: %w", want.ColumnName(i), err)
		}
	}
	return nil
}

func equalColumn(want arrow.Array, got *arrow.Column) error {
	if !arrow.TypeEqual(want.DataType(), got.DataType()) {
		return fmt.Errorf("type %s, want %s", got.DataType(), want.DataType())
	}
	a, err := array.Concatenate(got.Data().Chunks(), mem)
	if err != nil {
		return err
	}
	defer a.Release()
	if !array.Equal(want, a) {
		return errors.New("values differ")
	}
	return nil
}

func run(r *report, o options) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := connect(o.url, "")
	if !r.check("connect "+o.url, err) {
		return
	}
	defer c.Close()
	storageFlow(ctx, r, c, o.prefix+"/uploaded.parquet")
	streamed(ctx, r, c, o.prefix+"/stream", o.rows)
	everyType(ctx, r, c, o.prefix+"/types")
	secured(ctx, r, o)
}

// storageFlow is the cookbook's: DoPut, GetFlightInfo, DoGet by ticket, ListFlights, drop.
func storageFlow(ctx context.Context, r *report, c flight.Client, name string) {
	table := cookbookTable()
	defer table.Release()
	if !r.check("storage: DoPut 3 rows on PATH "+name, putBatches(ctx, c, name, table)) {
		return
	}
	info, err := c.GetFlightInfo(ctx, pathDescriptor(name))
	if err == nil {
		var schema *arrow.Schema
		schema, err = flight.DeserializeSchema(info.Schema, mem)
		switch {
		case err != nil:
		case info.TotalRecords != 3 || len(info.Endpoint) != 1 || info.TotalBytes <= 0:
			err = fmt.Errorf("records %d, endpoints %d, bytes %d", info.TotalRecords, len(info.Endpoint), info.TotalBytes)
		case !schema.Equal(table.Schema()):
			err = fmt.Errorf("schema %s", schema)
		case strings.Join(info.FlightDescriptor.GetPath(), "/") != name:
			err = fmt.Errorf("descriptor %v", info.FlightDescriptor)
		}
	}
	if !r.check("storage: GetFlightInfo: 3 records, the schema, 1 endpoint", err) {
		return
	}
	got, err := getAll(ctx, c, info.Endpoint[0].Ticket)
	if err == nil {
		err = equalTables(table, got)
		got.Release()
	}
	r.check("storage: DoGet by the endpoint's ticket returns the same table", err)
	names, err := listNames(ctx, c)
	if err == nil && names[name] != 3 {
		err = fmt.Errorf("listed %v", names)
	}
	r.check("storage: ListFlights lists it with 3 records", err)
	err = drop(ctx, c, name)
	if err == nil {
		names, err = listNames(ctx, c)
		if _, still := names[name]; err == nil && still {
			err = errors.New("still listed")
		}
	}
	r.check("storage: drop_dataset, then ListFlights no longer lists it", err)
	_, err = c.GetFlightInfo(ctx, pathDescriptor(name))
	r.check("errors: GetFlightInfo of the dropped dataset -> NOT_FOUND", wantCode(err, codes.NotFound))
	_, err = getAll(ctx, c, &flight.Ticket{Ticket: []byte(unknownDataset)})
	r.check("errors: DoGet of an unknown dataset -> NOT_FOUND", wantCode(err, codes.NotFound))
}

const unknownDataset = "no/such/dataset"

func streamed(ctx context.Context, r *report, c flight.Client, name string, rows int64) {
	const batchRows = 10_000
	var sent, sentSum uint64
	batches := 0
	err := put(ctx, c, name, streamSchema, func() arrow.RecordBatch {
		if int64(sent) >= rows {
			return nil
		}
		n := min(batchRows, rows-int64(sent))
		rec := streamBatch(int64(sent), n)
		sent += uint64(n)
		sentSum += checksum(rec)
		batches++
		return rec
	})
	if !r.check(fmt.Sprintf("stream: DoPut %d rows in %d batches", rows, batches), err) {
		return
	}
	info, err := c.GetFlightInfo(ctx, pathDescriptor(name))
	if err == nil && info.TotalRecords != rows {
		err = fmt.Errorf("total_records %d", info.TotalRecords)
	}
	if !r.check(fmt.Sprintf("stream: GetFlightInfo says %d records", rows), err) {
		return
	}
	var got, gotSum uint64
	gotBatches := 0
	_, err = get(ctx, c, info.Endpoint[0].Ticket, func(rec arrow.RecordBatch) {
		got += uint64(rec.NumRows())
		gotSum += checksum(rec)
		gotBatches++
	})
	if err == nil && (got != uint64(rows) || gotSum != sentSum || gotBatches < 2) {
		err = fmt.Errorf("%d rows in %d batches, checksum %016x, want %d rows, %016x", got, gotBatches, gotSum, rows, sentSum)
	}
	r.check(fmt.Sprintf("stream: DoGet streams %d rows back in %d batches, checksum=%016x", got, gotBatches, gotSum), err)
	r.check("stream: drop_dataset", drop(ctx, c, name))
}

func everyType(ctx context.Context, r *report, c flight.Client, name string) {
	const n = 1000
	rec := allTypesBatch(n)
	defer rec.Release()
	var slices []arrow.RecordBatch
	for start := int64(0); start < n; start += 250 {
		slices = append(slices, rec.NewSlice(start, start+250))
	}
	err := putBatches(ctx, c, name, slices...)
	for _, s := range slices {
		s.Release()
	}
	if !r.check(fmt.Sprintf("types: DoPut %d columns of every type, %d rows in 4 batches", rec.NumCols(), n), err) {
		return
	}
	got, err := getAll(ctx, c, &flight.Ticket{Ticket: []byte(name)})
	if !r.check("types: DoGet", err) {
		return
	}
	defer got.Release()
	for i, f := range rec.Schema().Fields() {
		idx := got.Schema().FieldIndices(f.Name)
		var err error
		if len(idx) != 1 {
			err = errors.New("missing from the result")
		} else {
			err = equalColumn(rec.Column(i), got.Column(idx[0]))
		}
		r.check(fmt.Sprintf("types: %s %s round-trips", f.Name, f.Type), err)
	}
	// arrow-go's type equality ignores the names of nested fields (a list's child, a
	// map's entries); their string forms show them.
	err = nil
	if !got.Schema().Equal(rec.Schema()) || got.Schema().String() != rec.Schema().String() {
		err = fmt.Errorf("schema\n%s\nwant\n%s", got.Schema(), rec.Schema())
	}
	r.check("types: the schema comes back equal, nested field names included", err)
	r.check("types: drop_dataset", drop(ctx, c, name))
}

// secured: TLS with the dev CA, Basic login, then the bearer token; roles.
func secured(ctx context.Context, r *report, o options) {
	untrusting, err := connect(o.tlsURL, "")
	if err == nil {
		_, err = listNames(ctx, untrusting)
		untrusting.Close()
		err = wantCode(err, codes.Unavailable)
	}
	r.check("tls: a client that does not trust the dev CA is refused (UNAVAILABLE)", err)

	c, err := connect(o.tlsURL, o.ca)
	if !r.check("tls: connect "+o.tlsURL+" trusting the dev CA", err) {
		return
	}
	defer c.Close()
	_, err = listNames(ctx, c)
	r.check("auth: a call without credentials -> UNAUTHENTICATED", wantCode(err, codes.Unauthenticated))
	_, err = c.AuthenticateBasicToken(ctx, o.writer, o.passw+"-wrong")
	r.check("auth: Basic login with a wrong password -> UNAUTHENTICATED", wantCode(err, codes.Unauthenticated))

	writerCtx, err := c.AuthenticateBasicToken(ctx, o.writer, o.passw)
	if err == nil {
		md, _ := metadata.FromOutgoingContext(writerCtx)
		if tok := md.Get("authorization"); len(tok) != 1 || !strings.HasPrefix(tok[0], "Bearer ") {
			err = fmt.Errorf("authorization %v", tok)
		}
	}
	if !r.check("auth: AuthenticateBasicToken("+o.writer+") returns a Bearer token", err) {
		return
	}
	name := o.prefix + "/secured"
	table := cookbookTable()
	defer table.Release()
	err = putBatches(writerCtx, c, name, table)
	if err == nil {
		var info *flight.FlightInfo
		info, err = c.GetFlightInfo(writerCtx, pathDescriptor(name))
		if err == nil {
			var got arrow.Table
			got, err = getAll(writerCtx, c, info.Endpoint[0].Ticket)
			if err == nil {
				err = equalTables(table, got)
				got.Release()
			}
		}
	}
	r.check("auth: with the token over TLS, DoPut, GetFlightInfo and DoGet", err)

	readerCtx, err := c.AuthenticateBasicToken(ctx, o.reader, o.passw)
	if !r.check("auth: AuthenticateBasicToken("+o.reader+") (reader role)", err) {
		return
	}
	names, err := listNames(readerCtx, c)
	if err == nil && names[name] != 3 {
		err = fmt.Errorf("listed %v", names)
	}
	r.check("auth: the reader lists the writer's dataset", err)
	err = putBatches(readerCtx, c, o.prefix+"/by-reader", table)
	r.check("auth: DoPut by the reader -> PERMISSION_DENIED", wantCode(err, codes.PermissionDenied))
	err = drop(readerCtx, c, name)
	r.check("auth: drop_dataset by the reader -> PERMISSION_DENIED", wantCode(err, codes.PermissionDenied))
	r.check("auth: drop_dataset by the writer", drop(writerCtx, c, name))
}
