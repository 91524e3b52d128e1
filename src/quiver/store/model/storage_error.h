#pragma once

#include <string>

#include <arrow/status.h>

namespace quiver::store {

/// \file
/// Storage failures as the store reports them: IOErrors whose message names the
/// dataset and the step but never a server path, and which keep the errno of their
/// cause (Arrow's errno StatusDetail) so that upper layers can tell a full disk from
/// other failures without parsing messages.

/// \brief The errno a status carries (Arrow's errno detail), or 0 if none.
int ErrnoOf(const arrow::Status& status);

/// \brief Whether `status` says the storage is full: ENOSPC (no space left on the
/// device) or EDQUOT (quota exceeded).
bool IsStorageFull(const arrow::Status& status);

/// \brief An IOError with `message` that keeps the errno of `cause` (and nothing else
/// of it: the cause's message and other details may name server paths).
arrow::Status StorageFailure(const arrow::Status& cause, std::string message);

}  // namespace quiver::store
