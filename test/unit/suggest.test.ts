import { expect, test } from "vitest";
import { suggestSimilar } from "../../src/core/suggest.js";

test("suggests the closest queue names, and nothing when nothing is close", () => {
  const names = ["orders", "orders-dlq", "payments", "payments-dlq", "orders.fifo"];
  expect(suggestSimilar("ordres", names)).toEqual(["orders"]);
  expect(suggestSimilar("orders-dql", names)).toEqual(["orders-dlq"]);
  expect(suggestSimilar("Orders", names)).toEqual(["orders"]);
  expect(suggestSimilar("payment-dlq", names)).toEqual(["payments-dlq"]);
  expect(suggestSimilar("inventory", names)).toEqual([]);
  expect(suggestSimilar("q", names)).toEqual([]);
});
