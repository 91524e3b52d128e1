#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <arrow/status.h>

#include "quiver/auth/role.h"
#include "quiver/store/model/dataset_name.h"

namespace quiver::auth {

/// \brief One user of the users file.
struct UserRecord {
  /// 1 to 64 characters of [A-Za-z0-9._@-] (see ValidateUserName).
  std::string name;
  Role role = Role::kReader;
  /// argon2id hash in libsodium's crypto_pwhash_str format ("$argon2id$v=19$...").
  /// A secret: never logged, never sent.
  std::string password_hash;
  /// Dataset name prefixes the user is limited to, matched segment by segment
  /// ("sales" grants "sales" and "sales/2024", not "salesforce"). Empty: all datasets.
  std::vector<store::DatasetName> grants;

  /// \brief Whether the user's grants cover `dataset`.
  bool Covers(const store::DatasetName& dataset) const;
};

/// \brief Whether `grants` cover `dataset`: no grants cover every dataset; otherwise
/// one grant must be a leading run of the dataset's segments.
bool GrantsCover(const std::vector<store::DatasetName>& grants,
                 const store::DatasetName& dataset);

/// \brief Check a user name: 1 to 64 characters of [A-Za-z0-9._@-] (no ':', which
/// separates the name from the password in Basic credentials).
/// \return Invalid stating the rule.
arrow::Status ValidateUserName(std::string_view name);

}  // namespace quiver::auth
