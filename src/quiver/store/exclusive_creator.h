#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/filesystem/type_fwd.h>
#include <arrow/result.h>
#include <arrow/status.h>

namespace quiver::store {

/// \brief Create small objects (manifests) only if they do not exist yet, atomically,
/// even against other processes and other machines sharing the storage.
///
/// This is the one primitive a versioned-manifest commit needs: the writer of version
/// N+1 calls CreateExclusive(".../v<N+1>", manifest); exactly one of several racing
/// writers gets OK, the others AlreadyExists and must re-read and retry. Object stores
/// have no rename and no O_EXCL, and Arrow's S3 file system cannot send a conditional
/// PUT, hence this separate seam beside arrow::fs::FileSystem.
///
/// Implementations (chosen by MakeExclusiveCreator):
/// - local disk: write a temporary file, fsync it, link(2) it to `path` (fails with
///   EEXIST if present), fsync the directory. Readers never see a partial object.
/// - S3-compatible stores: one SigV4-signed `PUT` with `If-None-Match: *`
///   (see s3_exclusive_creator.h).
///
/// Implementations are thread-safe: any number of threads may call CreateExclusive at
/// once.
class ExclusiveCreator {
 public:
  virtual ~ExclusiveCreator() = default;

  /// \brief Create `path` (a path of the file system the creator was made for, e.g.
  /// "bucket/prefix/key" on S3) holding exactly `contents`, only if it does not exist.
  ///
  /// The object appears whole or not at all. Parent directories are created on the
  /// local disk (object stores have none).
  ///
  /// \return OK if this call created it; AlreadyExists if it existed (HTTP 412, EEXIST);
  /// NotImplemented if the store cannot do conditional creates; IOError otherwise
  /// (unreachable store, missing bucket, refused credentials, disk errors), with a
  /// message that names the object and the cause but never a secret. After an IOError
  /// the object may or may not exist; callers re-read the store to find out.
  ///
  /// To tell a retry of one's own lost response from another writer's object, the S3
  /// implementation compares contents: make contents unique per writer (e.g. include a
  /// commit id) so that equal contents mean "mine".
  virtual arrow::Status CreateExclusive(const std::string& path,
                                        std::string_view contents) = 0;
};

/// \brief The ExclusiveCreator for `fs`: local disk or S3 (also under a
/// SubTreeFileSystem, whose base path is then prepended to every path).
///
/// For S3 the endpoint, scheme, addressing style, region and credentials are those of
/// the S3FileSystem itself (Arrow's options, e.g. from FileSystemFromUri("s3://bucket/
/// prefix?endpoint_override=HOST:PORT&scheme=http")); credentials come from its
/// provider on every call, so rotating ones (profiles, instance roles) keep working.
///
/// \return NotImplemented for other file systems (GCS, Azure, HDFS, mock).
arrow::Result<std::shared_ptr<ExclusiveCreator>> MakeExclusiveCreator(
    std::shared_ptr<arrow::fs::FileSystem> fs);

/// \brief Check that the store really enforces exclusive creates: some S3-compatible
/// stores accept and ignore `If-None-Match`, which would make every commit unsafe.
/// Creates `probe_path` (a fresh, unique name) twice; the second must be refused.
/// The probe object stays; delete it through the file system afterwards.
///
/// \return OK if the store refused the second create; NotImplemented if it accepted it;
/// the first create's error otherwise (unreachable store, credentials, missing bucket:
/// a useful start-up check on its own).
arrow::Status CheckExclusiveCreate(ExclusiveCreator& creator,
                                   const std::string& probe_path);

}  // namespace quiver::store
