#include "quiver/app/quiverd_main.h"

int main(int argc, char** argv) { return quiver::app::QuiverdMain(argc, argv); }
