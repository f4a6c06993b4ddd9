#!/usr/bin/env node
/*
 * Kafka readiness probe for deploy/local/stack.sh.
 *
 * Polls the broker with a kafkajs admin client until it really answers API requests
 * (describeCluster + listTopics), instead of sleeping.
 *
 * Usage: node deploy/local/wait-kafka.cjs [host:port]
 *   host:port defaults to $KAIROS_KAFKA_BROKERS, else 127.0.0.1:$KAIROS_KAFKA_PORT (19092).
 * Env:
 *   KAIROS_KAFKA_WAIT_SECS  overall deadline in seconds (default 90)
 *   KAIROS_KAFKA_WAIT_PID   pid of the broker process; give up early if it dies
 * Exit code: 0 when the broker answered, 1 when it did not, 3 when kafkajs cannot be loaded.
 */
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');

const repoRoot = path.resolve(__dirname, '..', '..');

let kafkajs;
try {
  // Resolve kafkajs from the repository's node_modules, whatever the cwd is.
  kafkajs = createRequire(path.join(repoRoot, 'package.json'))('kafkajs');
} catch (err) {
  // Exit code 3 tells stack.sh to fall back to the Kafka jars.
  console.error(
    `wait-kafka: cannot load kafkajs from ${repoRoot}/node_modules: ${err.message.split('\n')[0]}`,
  );
  process.exit(3);
}
const { Kafka, logLevel } = kafkajs;

const broker =
  process.argv[2] ||
  (process.env.KAIROS_KAFKA_BROKERS || '').split(',')[0] ||
  `127.0.0.1:${process.env.KAIROS_KAFKA_PORT || '19092'}`;
const deadlineMs = Date.now() + Number(process.env.KAIROS_KAFKA_WAIT_SECS || 90) * 1000;
const watchPid = Number(process.env.KAIROS_KAFKA_WAIT_PID || 0);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function probe() {
  const kafka = new Kafka({
    clientId: 'kairos-wait-kafka',
    brokers: [broker],
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const topics = await admin.listTopics();
    return { cluster, topics };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function main() {
  let attempt = 0;
  let lastError = 'no attempt made';
  while (Date.now() < deadlineMs) {
    attempt += 1;
    if (watchPid && !pidAlive(watchPid)) {
      console.error(`wait-kafka: broker process ${watchPid} exited`);
      return 1;
    }
    try {
      const { cluster, topics } = await probe();
      console.log(
        `wait-kafka: ${broker} ready after ${attempt} attempt(s): cluster ${cluster.clusterId}, ` +
          `controller ${cluster.controller}, ${cluster.brokers.length} broker(s), ${topics.length} topic(s)`,
      );
      return 0;
    } catch (err) {
      lastError = err && err.message ? err.message : String(err);
    }
    await sleep(1000);
  }
  console.error(
    `wait-kafka: ${broker} not ready before the deadline (${attempt} attempts); last error: ${lastError}`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`wait-kafka: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
