#include "quiver/cli/quiver_main.h"

int main(int argc, char** argv) { return quiver::cli::QuiverMain(argc, argv); }
