#pragma once

#include <memory>
#include <string>

#include <arrow/io/interfaces.h>
#include <arrow/result.h>

namespace quiver::store {

/// \brief Open the local file `path` as an input stream whose large reads are
/// memory mappings of the file rather than copies: a read of 256 KiB or more returns a
/// buffer over a mapping of just that range, unmapped when the last reference to the
/// buffer goes. Reading an Arrow IPC stream through it hands record batches whose
/// bodies are the file's pages (no copy, no allocation), and the memory mapped at any
/// time is that of the batches still in use, not the whole file.
///
/// The file must not be truncated while buffers from it are alive (access past the
/// end of a file is SIGBUS): use it for files only this process writes and that are
/// replaced by rename, never rewritten in place. Not thread-safe (one reader).
/// \return IOError carrying the errno if the file cannot be opened.
arrow::Result<std::shared_ptr<arrow::io::InputStream>> OpenMappedInputStream(
    const std::string& path);

}  // namespace quiver::store
