#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quiver/telemetry/span_data.h"

namespace quiver::telemetry {

/// \brief Encode spans as an OTLP/HTTP JSON ExportTraceServiceRequest body.
///
/// Follows the OTLP JSON mapping: lowerCamelCase field names, trace and span ids as
/// hex strings, 64-bit integers (timestamps, intValue) as decimal strings, enums as
/// integers. All spans share one resource and one instrumentation scope.
/// \param resource the resource attributes (service.name and the like).
/// \param scope_name the instrumentation scope, e.g. "quiver".
std::string EncodeOtlpJson(const std::vector<Attribute>& resource,
                           std::string_view scope_name, std::string_view scope_version,
                           const std::vector<SpanData>& spans);

}  // namespace quiver::telemetry
