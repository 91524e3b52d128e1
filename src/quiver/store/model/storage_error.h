#pragma once

#include <memory>
#include <string>

#include <arrow/status.h>

namespace quiver::store {

/// \file
/// Storage failures as the store reports them: IOErrors whose message names the
/// dataset and the step but never a server path, marked with a StorageFailureDetail
/// that keeps the errno of their cause, so that upper layers tell the store's own
/// failures from the client's errors, and a full disk from other failures, by the
/// detail's type and never by a message's text.
///
/// The store's errors by class (the named constructors are in store_errors.h):
///  - the client's: Invalid (bad request or data), NotImplemented (a type or feature
///    the store cannot keep), KeyError (not found), AlreadyExists; no detail;
///  - the store's own: IOError with a StorageFailureDetail (the disk, the object
///    store, a stored part that does not decode).

/// \brief Marks a Status as a failure of the storage, not of the client's request.
/// Keeps the errno of the cause (0 when it had none).
class StorageFailureDetail : public arrow::StatusDetail {
 public:
  static constexpr char kTypeId[] = "quiver::store::StorageFailureDetail";

  explicit StorageFailureDetail(int error_number) : error_number_(error_number) {}

  const char* type_id() const override { return kTypeId; }
  /// "storage failure", with the errno's name when it has one.
  std::string ToString() const override;

  /// The errno of the cause, or 0.
  int error_number() const { return error_number_; }

 private:
  int error_number_;
};

/// \brief Marks an error about the client's request or data raised where storage
/// failures are expected too (a filter that cannot be evaluated on the rows, while a
/// part is read), so that it is not taken for one. Invalid or NotImplemented.
class ClientErrorDetail : public arrow::StatusDetail {
 public:
  static constexpr char kTypeId[] = "quiver::store::ClientErrorDetail";
  const char* type_id() const override { return kTypeId; }
  std::string ToString() const override { return "client error"; }
};

/// \brief Whether `status` is marked as the client's error (ClientErrorDetail).
bool IsClientError(const arrow::Status& status);

/// \brief The StorageFailureDetail of `status`, or nullptr when it is not a storage
/// failure.
const StorageFailureDetail* StorageFailureOf(const arrow::Status& status);

/// \brief Whether `status` is marked as a storage failure (StorageFailureDetail).
bool IsStorageFailure(const arrow::Status& status);

/// \brief The errno a status carries (its StorageFailureDetail's, else Arrow's errno
/// detail), or 0 if none.
int ErrnoOf(const arrow::Status& status);

/// \brief Whether `status` says the storage is full: ENOSPC (no space left on the
/// device) or EDQUOT (quota exceeded).
bool IsStorageFull(const arrow::Status& status);

/// \brief An IOError with `message`, marked as a storage failure keeping the errno of
/// `cause` (and nothing else of it: the cause's message and other details may name
/// server paths).
arrow::Status StorageFailure(const arrow::Status& cause, std::string message);

/// \brief `status` (code and message unchanged) marked as a storage failure, keeping
/// its errno; OK stays OK. For errors that pass through code that is not the store's
/// (Parquet's writer forwards its sink's errors) and must stay recognisable.
arrow::Status MarkStorageFailure(const arrow::Status& status);

}  // namespace quiver::store
