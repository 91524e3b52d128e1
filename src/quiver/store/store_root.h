#pragma once

/// \file
/// Where the store lives, as quiverd's `--root` names it: a local directory, or an
/// object store URI in Arrow's FileSystemFromUri syntax, e.g.
/// `s3://bucket/prefix?endpoint_override=127.0.0.1:9000&scheme=http&region=us-east-1`.
///
///     ARROW_ASSIGN_OR_RAISE(auto options, MakeStoreOptionsForRoot(flags.root));
///     ARROW_RETURN_NOT_OK(CheckStoreRoot(options));   // one clear error if unusable
///     ARROW_ASSIGN_OR_RAISE(auto store, DatasetStore::Make(options));
///
/// Credentials come from Arrow's S3 file system (the standard AWS chain: environment,
/// profile, web identity, instance role); a URI may also carry them as userinfo,
/// which RedactStoreRoot removes before the root is ever printed.

#include <string>
#include <string_view>

#include <arrow/result.h>

#include "quiver/store/store_options.h"

namespace quiver::store {

/// \brief Whether `root` is a URI ("scheme://...") rather than a local path.
bool IsStoreUri(std::string_view root);

/// \brief `root` safe to print: userinfo ("key:secret@") and query parameters that
/// may hold secrets (names containing "secret", "key", "token", "password",
/// "credential", "signature") replaced by "***". Local paths are returned unchanged.
std::string RedactStoreRoot(std::string_view root);

/// \brief Store options for `root`. A local path: MakeLocalStoreOptions. A URI: the
/// file system FileSystemFromUri makes (S3 is initialised on first use; the program
/// calls arrow::fs::FinalizeS3 before exiting), wrapped in a MeteredFileSystem that
/// counts and traces every request, with the file system's exclusive creator and
/// `shared` set (other nodes may write to the same root).
/// \return Invalid for a malformed URI or an unsupported scheme, naming the redacted
/// root.
arrow::Result<StoreOptions> MakeStoreOptionsForRoot(const std::string& root);

/// \brief Check that an object store root is usable before serving: the bucket
/// exists, the credentials are accepted, and the store enforces exclusive creates
/// (CheckExclusiveCreate with a probe object under the root, deleted afterwards).
/// A local root passes (DatasetStore::Make creates and checks it).
/// \return an IOError (or NotImplemented) whose one-line message says what is wrong.
arrow::Status CheckStoreRoot(const StoreOptions& options);

}  // namespace quiver::store
