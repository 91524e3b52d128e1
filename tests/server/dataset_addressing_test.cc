#include <gtest/gtest.h>

#include "quiver/server/dataset_addressing_internal.h"

namespace quiver::server {
namespace {

namespace flight = arrow::flight;

TEST(DatasetAddressingTest, PathDescriptorsNameDatasets) {
  auto name = NameFromDescriptor(flight::FlightDescriptor::Path({"sales", "2024"}));
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->ToString(), "sales/2024");
  EXPECT_EQ(DescriptorOf(*name).path, (std::vector<std::string>{"sales", "2024"}));
}

TEST(DatasetAddressingTest, CommandAndHostileDescriptorsAreInvalid) {
  EXPECT_TRUE(NameFromDescriptor(flight::FlightDescriptor::Command("SELECT 1"))
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(
      NameFromDescriptor(flight::FlightDescriptor::Path({".."})).status().IsInvalid());
  EXPECT_TRUE(NameFromDescriptor(flight::FlightDescriptor::Path({"a/../b"}))
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(
      NameFromDescriptor(flight::FlightDescriptor::Path({})).status().IsInvalid());
}

TEST(DatasetAddressingTest, MintedAndBareTicketsBothWork) {
  auto name = *store::DatasetName::Parse("a/b.parquet");
  auto minted = MintTicket(name);
  EXPECT_NE(minted.ticket, "a/b.parquet");
  EXPECT_EQ(NameFromTicket(minted.ticket)->ToString(), "a/b.parquet");
  EXPECT_EQ(NameFromTicket("a/b.parquet")->ToString(), "a/b.parquet");
  EXPECT_TRUE(NameFromTicket("../../etc/passwd").status().IsInvalid());
  EXPECT_TRUE(NameFromTicket("").status().IsInvalid());
  EXPECT_TRUE(NameFromTicket(".quiver/1/../x").status().IsInvalid());
}

}  // namespace
}  // namespace quiver::server
