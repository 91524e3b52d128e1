#include "quiver/cli/cli_tracing.h"
#include "quiver/cli/quiver_main.h"

int main(int argc, char** argv) {
  auto tracing = quiver::cli::CliTracing::FromEnvironment();
  quiver::cli::QuiverMainOptions options;
  options.middleware.push_back(tracing.middleware());
  return quiver::cli::QuiverMain(argc, argv, options);
}
