# Everything of Orderly but the servers, in one container: the GraphQL gateway (with GraphiQL
# and subscriptions), the HTTP functions, the Kafka-triggered functions behind the event-source
# emulator, and the outbox relay and reservation-expiry loops. This is `npm start`'s embedded
# mode; Kafka, MongoDB and the inventory service come from KAFKA_BROKERS, MONGODB_URI and
# INVENTORY_ADDR (localstack/docker-compose.yml runs them all).
#   docker build -f localstack/platform.Dockerfile -t orderly-platform .     (from the repository root)

FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY frontend/package.json frontend/
# tsx runs the TypeScript sources as they are; the dependencies need no install scripts.
RUN npm ci --no-audit --no-fund
COPY . .
# The storefront is built into the image: the node user below cannot write /app.
RUN node --import tsx localstack/platform/build-storefront.ts
# The settings file and lock of the local tools go to a folder the node user may write.
# The image is production unless told otherwise (NODE_ENV=development, as the compose file
# does): it listens on every interface of its container, so it starts only with a JWT_SECRET,
# an ADMIN_EMAIL and ADMIN_PASSWORD of its own, and ALLOW_TEST_PAYMENTS=true, and without
# GraphiQL or introspection (shared/config/production-safety.ts).
ENV NODE_ENV=production \
    ORDERLY_SKIP_BOOTSTRAP=1 \
    ORDERLY_CACHE_DIR=/tmp/orderly \
    HOST=0.0.0.0 \
    PORT=4000
USER node
EXPOSE 4000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1, so SIGTERM reaches the platform's own graceful shutdown.
CMD ["node", "--import", "tsx", "localstack/start.ts"]
