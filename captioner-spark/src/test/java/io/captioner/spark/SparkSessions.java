package io.captioner.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' one embedded Spark session: {@code local[2]}, bound to loopback, no UI, few shuffle
 * partitions. Created on first use and shared by every test class of the JVM (starting Spark takes
 * seconds); Spark stops it when the JVM exits.
 */
final class SparkSessions {

    private static SparkSession spark;

    private SparkSessions() {}

    static synchronized SparkSession local2() {
        if (spark == null) {
            spark = SparkSession.builder().appName("captioner-spark tests").master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return spark;
    }
}
