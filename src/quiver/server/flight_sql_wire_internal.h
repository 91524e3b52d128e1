#pragma once

/// \file
/// The wire pieces of the Flight SQL front end: FlightInfos of one endpoint, serialized
/// schemas, DoPut streams read as batches and answered, result streams that end a
/// span, and a statement's text as logs show it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message_lite.h>

#include <arrow/flight/server.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include "quiver/telemetry/span.h"

namespace quiver::server {

/// A statement's text in the access log and spans, at most (then "...").
inline constexpr size_t kLoggedStatementBytes = 256;

/// \brief `text` cut to kLoggedStatementBytes on a UTF-8 boundary, "..." after a cut.
std::string Truncated(std::string_view text);

/// \brief The reader's batches; `span` ends when the stream does (or is abandoned),
/// with the stream's error if it fails.
std::shared_ptr<arrow::RecordBatchReader> EndingSpan(
    std::shared_ptr<arrow::RecordBatchReader> reader, telemetry::Span span);

/// \brief `schema` in the IPC form FlightInfo and the prepared-statement answers use.
arrow::Result<std::string> SerializedSchema(const arrow::Schema& schema);

/// \brief A FlightInfo of one endpoint whose ticket is `ticket`.
arrow::flight::FlightInfo MakeInfo(const std::shared_ptr<arrow::Schema>& schema,
                                   const arrow::flight::FlightDescriptor& descriptor,
                                   std::string ticket);

/// \brief The batches of a DoPut stream, metadata-only messages skipped. Borrows the
/// reader, which must outlive it.
class StreamRows : public arrow::RecordBatchReader {
 public:
  StreamRows(arrow::flight::FlightMessageReader& reader,
             std::shared_ptr<arrow::Schema> schema)
      : reader_(reader), schema_(std::move(schema)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override;

 private:
  arrow::flight::FlightMessageReader& reader_;
  std::shared_ptr<arrow::Schema> schema_;
};

/// \brief The parameter rows of a DoPut stream, validated, as one batch (nullptr when
/// none were sent). \return Invalid past `max_rows` rows (< 0: no bound).
arrow::Result<std::shared_ptr<arrow::RecordBatch>> ReadParameters(
    arrow::flight::FlightMessageReader& reader, int64_t max_rows);

/// \brief A DoPut's answer: the message itself in the app_metadata, not packed in an
/// Any (the specification's wire form, which the drivers decode).
arrow::Status WriteAnswer(arrow::flight::FlightMetadataWriter& writer,
                          const google::protobuf::MessageLite& answer);

}  // namespace quiver::server
