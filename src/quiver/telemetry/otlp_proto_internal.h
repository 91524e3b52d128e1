#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quiver/telemetry/span_data.h"

namespace quiver::telemetry {

/// \brief Encode spans as an OTLP/HTTP protobuf ExportTraceServiceRequest body
/// (opentelemetry/proto/collector/trace/v1/trace_service.proto).
///
/// The same message as EncodeOtlpJson, in protobuf wire format: ids as raw bytes,
/// timestamps as fixed64, span flags as fixed32. Fields at their default value are
/// omitted, as proto3 encoders do. All spans share one resource and one scope.
std::string EncodeOtlpProto(const std::vector<Attribute>& resource,
                            std::string_view scope_name, std::string_view scope_version,
                            const std::vector<SpanData>& spans);

}  // namespace quiver::telemetry
