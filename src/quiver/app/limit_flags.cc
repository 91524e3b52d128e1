#include "quiver/app/duration_internal.h"
#include "quiver/app/limit_flags_internal.h"

namespace quiver::app {

void AddLimitFlags(CLI::App& app, LimitFlags& flags) {
  app.add_option("--max-upload-bytes", flags.max_upload_bytes,
                 "Largest upload, in bytes of Arrow data received; an append may not "
                 "bring the dataset's stored bytes plus the upload past it either "
                 "(0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 60));
  app.add_option("--max-streams", flags.max_streams,
                 "DoGet and DoPut streams served at once; more are refused with "
                 "UNAVAILABLE (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--max-streams-per-user", flags.max_streams_per_user,
                 "The same per user (per client address without --users) (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--stream-idle-timeout", flags.stream_idle_timeout,
                 "Cut the connection of a stream that waits this long on its client (a "
                 "reader that stops reading, a writer that stops sending): 30s, 5m "
                 "(0: never)")
      ->capture_default_str();
}

arrow::Status ApplyLimitFlags(const LimitFlags& flags, server::LimitOptions* options) {
  options->max_upload_bytes = flags.max_upload_bytes;
  options->max_streams = flags.max_streams;
  options->max_streams_per_user = flags.max_streams_per_user;
  // Zero: never.
  ARROW_ASSIGN_OR_RAISE(
      options->stream_idle_timeout,
      ParseDurationFlag("--stream-idle-timeout", flags.stream_idle_timeout,
                        ZeroDuration::kAllowed));
  return arrow::Status::OK();
}

}  // namespace quiver::app
