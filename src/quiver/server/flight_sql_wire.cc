#include <utility>

#include <arrow/buffer.h>
#include <arrow/ipc/writer.h>
#include <arrow/util/iterator.h>

#include "quiver/server/flight_sql_wire_internal.h"

namespace quiver::server {

namespace fl = arrow::flight;

std::string Truncated(std::string_view text) {
  if (text.size() <= kLoggedStatementBytes) return std::string(text);
  size_t end = kLoggedStatementBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

// The reader's batches; `span` ends when the stream does (or is abandoned).
std::shared_ptr<arrow::RecordBatchReader> EndingSpan(
    std::shared_ptr<arrow::RecordBatchReader> reader, telemetry::Span span) {
  auto schema = reader->schema();
  auto owned = std::make_shared<telemetry::Span>(std::move(span));
  auto next = [reader = std::move(reader),
               owned]() -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
    auto batch = reader->Next();
    if (!batch.ok()) owned->RecordError(batch.status());
    if (!batch.ok() || *batch == nullptr) owned->End();
    return batch;
  };
  auto iterator = arrow::MakeFunctionIterator(std::move(next));
  return *arrow::RecordBatchReader::MakeFromIterator(std::move(iterator),
                                                     std::move(schema));
}

arrow::Result<std::string> SerializedSchema(const arrow::Schema& schema) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(schema));
  return buffer->ToString();
}

fl::FlightInfo MakeInfo(const std::shared_ptr<arrow::Schema>& schema,
                        const fl::FlightDescriptor& descriptor, std::string ticket) {
  fl::FlightEndpoint endpoint;
  endpoint.ticket.ticket = std::move(ticket);
  auto info = fl::FlightInfo::Make(*schema, descriptor, {endpoint}, -1, -1, false);
  return std::move(*info);
}

arrow::Status StreamRows::ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) {
  while (true) {
    ARROW_ASSIGN_OR_RAISE(fl::FlightStreamChunk chunk, reader_.Next());
    if (chunk.data != nullptr || chunk.app_metadata == nullptr) {
      *batch = std::move(chunk.data);
      return arrow::Status::OK();
    }
  }
}

arrow::Status WriteAnswer(fl::FlightMetadataWriter& writer,
                          const google::protobuf::MessageLite& answer) {
  return writer.WriteMetadata(*arrow::Buffer::FromString(answer.SerializeAsString()));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> ReadParameters(
    fl::FlightMessageReader& reader, int64_t max_rows) {
  ARROW_ASSIGN_OR_RAISE(auto schema, reader.GetSchema());
  StreamRows stream(reader, std::move(schema));
  arrow::RecordBatchVector batches;
  int64_t rows = 0;
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(stream.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_RETURN_NOT_OK(batch->ValidateFull());
    rows += batch->num_rows();
    if (max_rows >= 0 && rows > max_rows) {
      return arrow::Status::Invalid(
          "bind one row of parameters per execution of a query (", rows,
          "+ rows were sent)");
    }
    if (batch->num_rows() > 0) batches.push_back(std::move(batch));
  }
  if (batches.empty()) return nullptr;
  if (batches.size() == 1) return batches[0];
  return arrow::ConcatenateRecordBatches(batches);
}

}  // namespace quiver::server
