#include <algorithm>

#include <arrow/buffer.h>
#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>

#include "quiver/store/version_log_internal.h"

namespace quiver::store {

arrow::Result<std::vector<int64_t>> VersionLog::ListVersions(
    const DatasetName& name) const {
  arrow::fs::FileSelector selector;
  selector.base_dir = layout_.ManifestDir(name);
  selector.allow_not_found = true;
  ARROW_ASSIGN_OR_RAISE(auto entries, fs_->GetFileInfo(selector));
  std::vector<int64_t> versions;
  for (const auto& entry : entries) {
    auto classified = layout_.Classify(entry.path());
    if (classified.kind == Layout::Kind::kManifest &&
        classified.name == name.ToString()) {
      versions.push_back(classified.version);
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

arrow::Result<Manifest> VersionLog::Read(const DatasetName& name, int64_t version) const {
  std::string path = layout_.ManifestPath(name, version);
  // A manifest deleted (by retention, perhaps on another node) between being listed
  // and being read is a missing version, whichever call noticed: on object stores the
  // open may succeed and the read then fail.
  auto missing_or = [&](const arrow::Status& status) -> arrow::Status {
    auto info = fs_->GetFileInfo(path);
    if (info.ok() && info->type() == arrow::fs::FileType::NotFound) {
      return arrow::Status::KeyError("version ", version, " of dataset '",
                                     name.ToString(), "' does not exist");
    }
    return status;
  };
  auto file = fs_->OpenInputFile(path);
  if (!file.ok()) return missing_or(file.status());
  auto size = (*file)->GetSize();
  if (!size.ok()) return missing_or(size.status());
  if (*size > static_cast<int64_t>(kMaxManifestBytes)) {
    return arrow::Status::Invalid("invalid manifest: too large");
  }
  auto read = (*file)->ReadAt(0, *size);
  if (!read.ok()) return missing_or(read.status());
  const auto& buffer = *read;
  if (buffer->size() != *size) {
    // A short read is a failing read, not a corrupt manifest.
    return arrow::Status::IOError("manifest read returned ", buffer->size(), " of ",
                                  *size, " bytes");
  }
  ARROW_ASSIGN_OR_RAISE(auto manifest, DecodeManifest(std::string_view(*buffer)));
  if (manifest.dataset != name.ToString() || manifest.version != version) {
    return arrow::Status::Invalid("invalid manifest: it describes another version");
  }
  return manifest;
}

arrow::Result<std::optional<Manifest>> VersionLog::ReadHead(
    const DatasetName& name) const {
  ARROW_ASSIGN_OR_RAISE(auto versions, ListVersions(name));
  if (versions.empty()) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(auto manifest, Read(name, versions.back()));
  return std::optional<Manifest>(std::move(manifest));
}

arrow::Status VersionLog::Create(const DatasetName& name,
                                 const Manifest& manifest) const {
  ARROW_ASSIGN_OR_RAISE(auto text, EncodeManifest(manifest));
  ARROW_RETURN_NOT_OK(fs_->CreateDir(layout_.ManifestDir(name), /*recursive=*/true));
  return creator_->CreateExclusive(layout_.ManifestPath(name, manifest.version), text);
}

arrow::Status VersionLog::Delete(const DatasetName& name, int64_t version) const {
  return fs_->DeleteFile(layout_.ManifestPath(name, version));
}

}  // namespace quiver::store
