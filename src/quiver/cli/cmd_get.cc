#include "quiver/cli/commands_internal.h"
#include "quiver/cli/download_internal.h"
#include "quiver/cli/human_units_internal.h"

namespace quiver::cli {

arrow::Status RunGet(Session& session, const GetOptions& options, std::ostream& out) {
  DownloadOptions download;
  download.output = options.output;
  ARROW_ASSIGN_OR_RAISE(download.format,
                        ChooseOutputFormat(options.format, options.output));
  ARROW_RETURN_NOT_OK(ToSelector(options.at).status());  // a bad --as-of: no call
  ARROW_ASSIGN_OR_RAISE(auto read, CheckReadChoice(options.read));
  ARROW_ASSIGN_OR_RAISE(auto* client, session.Client());
  ARROW_ASSIGN_OR_RAISE(auto info,
                        GetSelectedInfo(*client, options.name, options.at, read));
  download.parallel = options.read.parallel;
  download.label = "get " + options.name;
  download.what = "get of '" + options.name + "'";
  download.progress = session.ShowProgress();
  ARROW_ASSIGN_OR_RAISE(int64_t rows, Download(*client, info, download));
  if (options.output != "-") {
    auto version = client::VersionOf(info);
    out << "got " << options.name;
    if (version.ok()) out << " version " << version->version;
    out << ": " << FormatCount(rows) << " rows to " << options.output << " ("
        << FormatName(download.format) << ")\n";
  }
  return arrow::Status::OK();
}

}  // namespace quiver::cli
