#include "db/snapshot.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace dbaudit::db {
namespace {

ir::Location Object(const std::string& name) {
  return ir::Location{.file = {}, .object = "postgresql://db/app#" + name};
}

// A catalog that sets every field to a non-default value somewhere.
ir::Catalog FullCatalog() {
  ir::Catalog catalog;
  catalog.origin = ir::CatalogOrigin::kDatabase;
  catalog.source_name = "postgresql://app@db/app";

  ir::Table users;
  users.schema = "public";
  users.name = "users";
  users.comment = "people \"who\" log in\nsecond line";
  users.location = Object("public.users");
  ir::Column id;
  id.name = "id";
  id.type = "integer";
  id.nullable = false;
  id.identity = ir::IdentityKind::kAlways;
  id.location = Object("public.users.id");
  ir::Column email;
  email.name = "email";
  email.type = "character varying(255)";
  email.nullable = true;
  email.server_default = "''::character varying";
  email.comment = "login";
  email.location = ir::Location{"app/models.py", 12, 5, 12, 40, ""};
  ir::Column lower_email;
  lower_email.name = "lower_email";
  lower_email.type = "text";
  lower_email.generated = "lower((email)::text)";
  ir::Column models_only;
  models_only.name = "kind";
  models_only.autoincrement = true;
  models_only.attribute = "kind_";
  models_only.python_default = "'x'";
  models_only.python_onupdate = "datetime.utcnow";
  models_only.server_onupdate = "now()";
  models_only.identity = ir::IdentityKind::kByDefault;
  users.columns = {id, email, lower_email, models_only};
  users.primary_key = ir::PrimaryKey{"users_pkey", {"id"}, Object("public.users.users_pkey")};
  users.foreign_keys.push_back(ir::ForeignKey{"users_org_fkey",
                                              {"org_id", "region"},
                                              "other",
                                              "orgs",
                                              {"id", "region"},
                                              ir::ReferentialAction::kCascade,
                                              ir::ReferentialAction::kSetNull,
                                              true,
                                              true,
                                              Object("fk")});
  users.foreign_keys.push_back(ir::ForeignKey{"users_b_fkey",
                                              {"b"},
                                              "public",
                                              "b",
                                              {"id"},
                                              ir::ReferentialAction::kUnspecified,
                                              ir::ReferentialAction::kRestrict,
                                              false,
                                              false,
                                              {}});
  users.foreign_keys.back().on_delete = ir::ReferentialAction::kSetDefault;
  users.unique_constraints.push_back(ir::UniqueConstraint{"users_email_key", {"email"}, Object("uq")});
  users.check_constraints.push_back(ir::CheckConstraint{"users_id_check", "CHECK ((id > 0))", Object("ck")});
  ir::Index index;
  index.name = "users_lower_idx";
  index.keys = {"lower((email)::text)", "id"};
  index.unique = true;
  index.method = "gin";
  index.predicate = "(id > 10)";
  index.include = {"kind"};
  index.location = Object("ix");
  users.indexes.push_back(index);
  ir::Trigger trigger;
  trigger.name = "users_touch";
  trigger.timing = "BEFORE";
  trigger.events = {"INSERT", "UPDATE"};
  trigger.for_each_row = false;
  trigger.function_schema = "public";
  trigger.function_name = "touch";
  trigger.when = "(old.* IS DISTINCT FROM new.*)";
  trigger.location = Object("tg");
  users.triggers.push_back(trigger);
  users.mapped_by = {"app.models.User", "app.models.Admin"};
  catalog.tables.push_back(users);

  ir::Table view;
  view.schema = "reporting";
  view.name = "active_users";
  view.kind = ir::TableKind::kMaterializedView;
  view.view_definition = " SELECT users.id\n   FROM public.users";
  catalog.tables.push_back(view);
  for (const auto kind : {ir::TableKind::kView, ir::TableKind::kPartitionedTable, ir::TableKind::kForeignTable}) {
    ir::Table other;
    other.schema = "s";
    other.name = ir::ToString(kind);
    other.kind = kind;
    catalog.tables.push_back(other);
  }

  catalog.enums.push_back(ir::EnumType{"public", "mood", {"sad", "ok", "happy"}, Object("public.mood")});
  catalog.sequences.push_back(ir::Sequence{"public", "users_id_seq", "users", "id", Object("seq")});
  catalog.sequences.push_back(ir::Sequence{"public", "free_seq", "", "", {}});
  catalog.functions.push_back(ir::Function{"public", "touch", "", "plpgsql", "trigger",
                                           "\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n",
                                           Object("public.touch()")});
  catalog.diagnostics.push_back(ir::Diagnostic{"schema-object-not-readable", ir::Severity::kWarning, "cannot read",
                                               Object("public.secret"), true});
  return catalog;
}

TEST(Snapshot, HeaderIsVersioned) {
  const auto json = ToSnapshot(FullCatalog());
  EXPECT_EQ(json.at("format"), "dbaudit-catalog");
  EXPECT_EQ(json.at("version"), 1);
  EXPECT_EQ(json.at("origin"), "database");
}

TEST(Snapshot, RoundTripIsExact) {
  const ir::Catalog original = FullCatalog();
  // Through text, as a file would carry it.
  const auto text = ToSnapshot(original).dump(2);
  auto restored = FromSnapshot(nlohmann::json::parse(text), "snap.json");
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  const ir::Catalog& copy = restored.value();
  EXPECT_TRUE(ir::SameSchema(original, copy)) << ir::DescribeSchemaDifferences(original, copy);
  // SameSchema ignores what follows; the round trip keeps it too.
  EXPECT_EQ(copy.origin, original.origin);
  EXPECT_EQ(copy.source_name, original.source_name);
  ASSERT_EQ(copy.tables.size(), original.tables.size());
  for (size_t t = 0; t < original.tables.size(); ++t) {
    const auto& a = original.tables[t];
    const auto& b = copy.tables[t];
    EXPECT_EQ(a.location, b.location);
    EXPECT_EQ(a.mapped_by, b.mapped_by);
    EXPECT_EQ(a.kind, b.kind);
    ASSERT_EQ(a.columns.size(), b.columns.size());
    for (size_t c = 0; c < a.columns.size(); ++c) {
      EXPECT_EQ(a.columns[c].location, b.columns[c].location);
      EXPECT_EQ(a.columns[c].autoincrement, b.columns[c].autoincrement);
      EXPECT_EQ(a.columns[c].attribute, b.columns[c].attribute);
      EXPECT_EQ(a.columns[c].python_default, b.columns[c].python_default);
      EXPECT_EQ(a.columns[c].python_onupdate, b.columns[c].python_onupdate);
      EXPECT_EQ(a.columns[c].server_onupdate, b.columns[c].server_onupdate);
      EXPECT_EQ(a.columns[c].nullable, b.columns[c].nullable);
      EXPECT_EQ(a.columns[c].identity, b.columns[c].identity);
    }
    EXPECT_EQ(a.primary_key.has_value(), b.primary_key.has_value());
    if (a.primary_key && b.primary_key) EXPECT_EQ(a.primary_key->location, b.primary_key->location);
    for (size_t i = 0; i < std::min(a.foreign_keys.size(), b.foreign_keys.size()); ++i) {
      EXPECT_EQ(a.foreign_keys[i].location, b.foreign_keys[i].location);
      EXPECT_EQ(a.foreign_keys[i].on_delete, b.foreign_keys[i].on_delete);
      EXPECT_EQ(a.foreign_keys[i].on_update, b.foreign_keys[i].on_update);
    }
    for (size_t i = 0; i < std::min(a.indexes.size(), b.indexes.size()); ++i) {
      EXPECT_EQ(a.indexes[i].location, b.indexes[i].location);
    }
    for (size_t i = 0; i < std::min(a.triggers.size(), b.triggers.size()); ++i) {
      EXPECT_EQ(a.triggers[i].location, b.triggers[i].location);
    }
  }
  ASSERT_EQ(copy.diagnostics.size(), 1u);
  EXPECT_EQ(copy.diagnostics[0].rule_id, original.diagnostics[0].rule_id);
  EXPECT_EQ(copy.diagnostics[0].severity, original.diagnostics[0].severity);
  EXPECT_EQ(copy.diagnostics[0].message, original.diagnostics[0].message);
  EXPECT_EQ(copy.diagnostics[0].location, original.diagnostics[0].location);
  EXPECT_TRUE(copy.diagnostics[0].incomplete);
  EXPECT_EQ(copy.sequences[0].location, original.sequences[0].location);
  EXPECT_EQ(copy.enums[0].location, original.enums[0].location);
  EXPECT_EQ(copy.functions[0].location, original.functions[0].location);
  // And writing the copy gives the same bytes.
  EXPECT_EQ(ToSnapshot(copy).dump(2), text);
}

TEST(Snapshot, RoundTripNoticesADifference) {
  ir::Catalog changed = FullCatalog();
  changed.tables[0].columns[1].server_default.reset();
  auto restored = FromSnapshot(nlohmann::json::parse(ToSnapshot(changed).dump()), "snap.json");
  ASSERT_TRUE(restored.ok());
  EXPECT_FALSE(ir::SameSchema(FullCatalog(), restored.value()));
}

struct MalformedCase {
  std::string name;
  std::function<void(nlohmann::json&)> mutate;
  std::string expected_path;
};

TEST(Snapshot, MalformedInputNamesTheJsonPath) {
  const std::vector<MalformedCase> cases = {
      {"not an object", [](nlohmann::json& j) { j = nlohmann::json::array(); }, "$ expected an object"},
      {"wrong format", [](nlohmann::json& j) { j["format"] = "other"; }, "$.format expected"},
      {"missing format", [](nlohmann::json& j) { j.erase("format"); }, "$.format is missing"},
      {"future version", [](nlohmann::json& j) { j["version"] = 2; }, "$.version unsupported snapshot version 2"},
      {"tables not array", [](nlohmann::json& j) { j["tables"] = "x"; }, "$.tables expected an array"},
      {"table name missing", [](nlohmann::json& j) { j["tables"][1].erase("name"); }, "$.tables[1].name is missing"},
      {"column type wrong", [](nlohmann::json& j) { j["tables"][0]["columns"][1]["type"] = 3; },
       "$.tables[0].columns[1].type expected a string"},
      {"nullable wrong", [](nlohmann::json& j) { j["tables"][0]["columns"][0]["nullable"] = "no"; },
       "$.tables[0].columns[0].nullable expected true or false"},
      {"unknown kind", [](nlohmann::json& j) { j["tables"][0]["kind"] = "tabel"; },
       "$.tables[0].kind unknown value \"tabel\""},
      {"unknown action", [](nlohmann::json& j) { j["tables"][0]["foreign_keys"][0]["on_delete"] = "explode"; },
       "$.tables[0].foreign_keys[0].on_delete unknown value"},
      {"label not string", [](nlohmann::json& j) { j["enums"][0]["labels"][2] = 7; },
       "$.enums[0].labels[2] expected a string"},
      {"negative line", [](nlohmann::json& j) { j["tables"][0]["columns"][1]["location"]["line"] = -1; },
       "$.tables[0].columns[1].location.line expected a non-negative integer"},
  };
  for (const auto& test_case : cases) {
    nlohmann::json json = nlohmann::json::parse(ToSnapshot(FullCatalog()).dump());
    test_case.mutate(json);
    const auto result = FromSnapshot(json, "snap.json");
    ASSERT_FALSE(result.ok()) << test_case.name;
    EXPECT_NE(result.error().message.find(test_case.expected_path), std::string::npos)
        << test_case.name << ": " << result.error().message;
    EXPECT_EQ(result.error().message.rfind("snap.json: ", 0), 0u) << result.error().message;
    EXPECT_EQ(result.error().location.file, "snap.json");
  }
}

TEST(Snapshot, ReadSnapshotFile) {
  const auto dir = std::filesystem::temp_directory_path() / "dbaudit-snapshot-test";
  std::filesystem::create_directories(dir);
  const auto good = dir / "good.json";
  const auto bad = dir / "bad.json";
  std::ofstream(good) << ToSnapshot(FullCatalog()).dump(2);
  std::ofstream(bad) << "{\"format\": \"dbaudit-catalog\",";

  const auto read = ReadSnapshotFile(good.string(), "good.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_TRUE(ir::SameSchema(read.value(), FullCatalog()));

  const auto broken = ReadSnapshotFile(bad.string(), "bad.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("bad.json: not valid JSON"), std::string::npos) << broken.error().message;

  const auto missing = ReadSnapshotFile((dir / "missing.json").string(), "missing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing.json"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbaudit::db
