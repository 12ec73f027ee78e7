package io.synclog.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The demo's generated model: a customers table as it looks at each run. Every value is a hash of
 * the customer's id, a fixed seed and a salt, so the same run always yields the same rows, on any
 * machine and with any partitioning.
 *
 * <p>Between runs about {@value #CHANGE_PER_MILLE}‰ of customers change (new plan, lifetime value,
 * opt-in), 1% new customers sign up and {@value #CHURN_PER_MILLE}‰ churn. About {@value
 * #BAD_EMAIL_PER_MILLE}‰ have a malformed email, which most of them fix in a later run, and {@value
 * #NO_LAST_NAME_PER_MILLE}‰ have no last name.
 */
final class CustomerModel {
  static final long SEED = 20_240_917L;
  static final int CHANGE_PER_MILLE = 30;
  static final int CHURN_PER_MILLE = 6;
  static final int BAD_EMAIL_PER_MILLE = 8;
  static final int NO_LAST_NAME_PER_MILLE = 3;

  private static final List<String> FIRST_NAMES =
      List.of(
          "Emma", "Liam", "Olivia", "Noah", "Ava", "Mateo", "Sofia", "Lucas", "Mia", "Arjun",
          "Chloe", "Yuki", "Hannah", "Leon", "Amara", "Diego", "Ines", "Kofi", "Freya", "Omar",
          "Zoe", "Ravi", "Clara", "Jonas", "Priya", "Hugo", "Lea", "Felix", "Maya", "Tomas");
  private static final List<String> LAST_NAMES =
      List.of(
          "Smith",
          "Garcia",
          "Müller",
          "Nguyen",
          "Kowalski",
          "Rossi",
          "Dubois",
          "Tanaka",
          "Okafor",
          "Silva",
          "Jensen",
          "Patel",
          "Cohen",
          "Novak",
          "Larsen",
          "Moreau",
          "Fischer",
          "Haddad",
          "Kim",
          "Lopez",
          "Brown",
          "Ivanova",
          "Schmidt",
          "Wilson",
          "Costa",
          "Sato",
          "Berg",
          "O'Brien",
          "Mendes",
          "Walker");
  private static final List<String> DOMAINS =
      List.of(
          "gmail.com",
          "outlook.com",
          "yahoo.com",
          "icloud.com",
          "proton.me",
          "fastmail.com",
          "acme-corp.com",
          "example.org");
  private static final List<String> COUNTRIES =
      List.of(
          "US", "US", "US", "US", "GB", "GB", "DE", "DE", "FR", "CA", "AU", "NL", "BR", "JP", "IN",
          "ES", "SE", "MX");
  private static final List<String> PLANS =
      List.of("free", "free", "free", "starter", "starter", "pro", "enterprise");
  private static final List<String> COMPANIES =
      List.of(
          "Globex",
          "Initech",
          "Umbrella",
          "Hooli",
          "Stark Industries",
          "Wayne Enterprises",
          "Acme",
          "Soylent",
          "Vandelay",
          "Wonka");

  /** 2019-01-01T00:00:00Z: the earliest sign-up. */
  private static final long FIRST_SIGN_UP = 1_546_300_800L;

  /** 2025-01-01T00:00:00Z: the day the first new customer of the demo signs up. */
  private static final long NEW_SIGN_UPS = 1_735_689_600L;

  private final int customers;

  /**
   * @param customers how many customers the first run has
   */
  CustomerModel(int customers) {
    if (customers < 100) {
      throw new IllegalArgumentException("the demo needs at least 100 customers, got " + customers);
    }
    this.customers = customers;
  }

  int customers() {
    return customers;
  }

  /** New customers per run: 1% of the first run. */
  long newPerRun() {
    return customers / 100;
  }

  /** The model as the warehouse holds it at run {@code run} (1 for the first). */
  Dataset<Row> atRun(SparkSession spark, int run) {
    long lastId = customers + (run - 1) * newPerRun();
    Dataset<Row> ids =
        spark
            .range(1, lastId + 1)
            .toDF("id")
            .withColumn("joined_run", expr(joinedRun()))
            .withColumn("churn_run", expr(churnRun()))
            .where(
                col("joined_run")
                    .leq(run)
                    .and(col("churn_run").leq(col("joined_run")).or(col("churn_run").gt(run))));
    return ids.withColumn("version", expr(lastChange(run)))
        .withColumn("first_name", pick(FIRST_NAMES, "'first'"))
        .withColumn(
            "last_name",
            expr(
                "CASE WHEN "
                    + perMille("'no-last-name'")
                    + " < "
                    + NO_LAST_NAME_PER_MILLE
                    + " THEN NULL ELSE "
                    + pickSql(LAST_NAMES, "'last'")
                    + " END"))
        .withColumn("email", expr(email(run)))
        .withColumn("country", pick(COUNTRIES, "'country'"))
        .withColumn("company", expr(company()))
        .withColumn("plan", pick(PLANS, "version, 'plan'"))
        .withColumn("lifetime_value", expr(lifetimeValue()))
        .withColumn("signed_up_at", expr(signedUpAt()))
        .withColumn("marketing_opt_in", expr(hash("version, 'opt-in'") + " % 10 < 6"))
        .select(
            "id",
            "email",
            "first_name",
            "last_name",
            "country",
            "company",
            "plan",
            "lifetime_value",
            "signed_up_at",
            "marketing_opt_in");
  }

  /**
   * The model of a run in which the extract went wrong for a few customers: their rows come twice,
   * the second time with another plan, as a bad join in the model would produce. Returns the model
   * unchanged when {@code duplicated} is zero.
   */
  static Dataset<Row> withDuplicatedIds(Dataset<Row> model, int duplicated) {
    if (duplicated == 0) {
      return model;
    }
    Dataset<Row> twins =
        model
            .where(expr(hash("'duplicate'") + " % 500 = 0"))
            .orderBy("id")
            .limit(duplicated)
            .withColumn("plan", lit("enterprise"))
            .withColumn("lifetime_value", col("lifetime_value").plus(lit(1)).cast("decimal(12,2)"));
    return model.unionByName(twins);
  }

  // ---- the columns, as SQL over id, joined_run and version --------------------------------------

  /** The run a customer first appears in: the first customers at run 1, then 1% more each run. */
  private String joinedRun() {
    return "CASE WHEN id <= "
        + customers
        + " THEN 1 ELSE 2 + CAST((id - "
        + customers
        + " - 1) / "
        + newPerRun()
        + " AS INT) END";
  }

  /** The run a customer leaves in; a customer who would leave before joining never leaves. */
  private static String churnRun() {
    return "2 + CAST(" + perMille("'churn'") + " / " + CHURN_PER_MILLE + " AS INT)";
  }

  /** The last run, up to {@code run}, at which the customer's attributes changed. */
  private static String lastChange(int run) {
    List<String> parts = new ArrayList<>();
    parts.add("joined_run");
    for (int k = 2; k <= run; k++) {
      parts.add(
          "CASE WHEN "
              + perMille("'change', " + k)
              + " < "
              + CHANGE_PER_MILLE
              + " THEN "
              + k
              + " END");
    }
    return parts.size() == 1 ? parts.get(0) : "greatest(" + String.join(", ", parts) + ")";
  }

  /**
   * A well-formed address, or for a few customers a malformed one (no '@', a doubled '@', a
   * trailing dot or a space) until the run at which they fix it: runs 2, 3 and 4 each fix a
   * quarter; the last quarter never does.
   */
  private static String email(int run) {
    String local =
        "concat(lower(first_name), '.', regexp_replace(translate(lower(coalesce(last_name,"
            + " 'customer')), 'ü', 'u'), '[^a-z]', ''), id)";
    String domain = pickSql(DOMAINS, "'domain'");
    String good = "concat(" + local + ", '@', " + domain + ")";
    String kind = hash("'bad-kind'") + " % 4";
    String bad =
        "CASE "
            + kind
            + " WHEN 0 THEN concat("
            + local
            + ", "
            + domain
            + ") WHEN 1 THEN concat("
            + local
            + ", '@@', "
            + domain
            + ") WHEN 2 THEN concat("
            + good
            + ", '.') ELSE concat(lower(first_name), ' ', "
            + local
            + ", '@', "
            + domain
            + ") END";
    String fixedBy = "2 + " + hash("'fix'") + " % 4";
    return "CASE WHEN "
        + perMille("'bad-email'")
        + " < "
        + BAD_EMAIL_PER_MILLE
        + " AND "
        + run
        + " < "
        + fixedBy
        + " THEN "
        + bad
        + " ELSE "
        + good
        + " END";
  }

  private static String company() {
    return "CASE WHEN "
        + hash("'b2b'")
        + " % 10 < 4 THEN "
        + pickSql(COMPANIES, "'company'")
        + " END";
  }

  /** Up to 25,000.00, drawn again each time the customer changes. */
  private static String lifetimeValue() {
    return "CAST(" + hash("version, 'ltv'") + " % 2500000 / 100 AS DECIMAL(12,2))";
  }

  /** The first customers signed up over six years; each later run's new ones on one day. */
  private static String signedUpAt() {
    return "timestamp_seconds(CASE WHEN joined_run = 1 THEN "
        + FIRST_SIGN_UP
        + " + "
        + hash("'sign-up'")
        + " % (6 * 365 * 86400) ELSE "
        + NEW_SIGN_UPS
        + " + (joined_run - 2) * 86400 + "
        + hash("'sign-up'")
        + " % 86400 END)";
  }

  // ---- deterministic draws ---------------------------------------------------------------------

  /** A non-negative hash of the seed, the id and the given salt expressions. */
  static String hash(String salts) {
    return "pmod(xxhash64(" + SEED + "L, id, " + salts + "), 9223372036854775807)";
  }

  private static String perMille(String salts) {
    return hash(salts) + " % 1000";
  }

  private static org.apache.spark.sql.Column pick(List<String> values, String salts) {
    return expr(pickSql(values, salts));
  }

  private static String pickSql(List<String> values, String salts) {
    String array =
        values.stream()
            .map(v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
            .collect(Collectors.joining(", ", "array(", ")"));
    return "element_at("
        + array
        + ", CAST("
        + hash(salts)
        + " % "
        + values.size()
        + " AS INT) + 1)";
  }
}
