# The planner's job jar on Flink's image, submitted to the cluster's JobManager at start.
FROM flink:2.2.1-java17
COPY flink-planner/target/edgeweave-flink-planner-0.1.0-SNAPSHOT-all.jar /opt/edgeweave/planner.jar
ENTRYPOINT ["flink", "run", "-m", "flink-jobmanager:8081", "/opt/edgeweave/planner.jar"]
