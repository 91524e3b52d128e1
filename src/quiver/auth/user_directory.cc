#include "quiver/auth/user_directory.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "quiver/auth/users_file.h"

namespace quiver::auth {
namespace {

bool Identify(const std::string& path, uint64_t* device, uint64_t* inode, int64_t* size,
              int64_t* mtime_ns, int64_t* ctime_ns) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *device = st.st_dev;
  *inode = st.st_ino;
  *size = st.st_size;
  *mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  *ctime_ns = int64_t{st.st_ctim.tv_sec} * 1000000000 + st.st_ctim.tv_nsec;
  return true;
}

}  // namespace

std::shared_ptr<UserDirectory> UserDirectory::MakeFixed(std::vector<UserRecord> users) {
  auto directory = std::shared_ptr<UserDirectory>(new UserDirectory({}));
  directory->Set(std::move(users));
  return directory;
}

arrow::Result<std::shared_ptr<UserDirectory>> UserDirectory::Open(
    UserDirectoryOptions options) {
  auto directory = std::shared_ptr<UserDirectory>(new UserDirectory(options));
  FileIdentity& id = directory->identity_;
  Identify(options.path, &id.device, &id.inode, &id.size, &id.mtime_ns, &id.ctime_ns);
  ARROW_ASSIGN_OR_RAISE(auto users, ReadUsersFile(options.path));
  directory->Set(std::move(users));
  directory->last_check_ = std::chrono::steady_clock::now();
  return directory;
}

void UserDirectory::Set(std::vector<UserRecord> users) {
  auto map = std::make_shared<Users>();
  for (auto& user : users) {
    std::string name = user.name;
    map->emplace(std::move(name), std::make_shared<const UserRecord>(std::move(user)));
  }
  users_ = std::move(map);
  ++loads_;
}

void UserDirectory::MaybeReload() {
  if (options_.path.empty()) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_check_ < options_.check_interval) return;
  last_check_ = now;
  FileIdentity current;
  if (!Identify(options_.path, &current.device, &current.inode, &current.size,
                &current.mtime_ns, &current.ctime_ns) ||
      current == identity_ || current == refused_) {
    return;
  }
  auto users = ReadUsersFile(options_.path);
  if (!users.ok()) {
    refused_ = current;
    spdlog::warn("auth: the changed users file was not loaded, keeping {} users: {}",
                 users_->size(), users.status().ToString());
    return;
  }
  identity_ = current;
  Set(std::move(*users));
  spdlog::info("auth: users file reloaded: {} users", users_->size());
}

arrow::Status UserDirectory::Reload() {
  if (options_.path.empty()) return arrow::Status::OK();
  std::lock_guard<std::mutex> lock(mutex_);
  last_check_ = std::chrono::steady_clock::now();
  FileIdentity current;
  Identify(options_.path, &current.device, &current.inode, &current.size,
           &current.mtime_ns, &current.ctime_ns);
  auto users = ReadUsersFile(options_.path);
  if (!users.ok()) {
    refused_ = current;
    spdlog::warn("auth: the users file was not reloaded, keeping {} users: {}",
                 users_->size(), users.status().ToString());
    return users.status();
  }
  identity_ = current;
  refused_ = {};
  Set(std::move(*users));
  spdlog::info("auth: users file reloaded: {} users", users_->size());
  return arrow::Status::OK();
}

std::shared_ptr<const UserRecord> UserDirectory::Find(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  MaybeReload();
  auto it = users_->find(name);
  return it == users_->end() ? nullptr : it->second;
}

int UserDirectory::loads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return loads_;
}

}  // namespace quiver::auth
