#!/bin/sh
# Writes a report whose one section holds a three-level indicator table
# (表2 kind) of N leaf rows: N/100 一级 × 10 二级 × 10 三级.
# usage: bench/gen-indicators.sh N > out.json
n=${1:-2000}
awk -v n="$n" 'BEGIN {
  a = int(n / 100); if (a < 1) a = 1
  printf "{\n  \"meta\": {\"title\": \"基准测试%d行指标表\", \"department\": \"基准\", \"year\": 2023},\n", n
  printf "  \"basic\": {\"sections\": [{\"title\": \"指标评分\", \"paragraphs\": [\"下表为基准测试生成的三级指标评分表。\"],\n"
  printf "    \"table\": {\"caption\": \"部门整体绩效指标评分表\", \"scores\": [\n"
  for (i = 1; i <= a; i++) {
    printf "      {\"name\": \"一级指标%d\", \"weight\": 100, \"children\": [\n", i
    for (j = 1; j <= 10; j++) {
      printf "        {\"name\": \"二级指标%d-%d\", \"weight\": 10, \"children\": [\n", i, j
      for (k = 1; k <= 10; k++)
        printf "          {\"name\": \"三级指标%d-%d-%d：部门预算资金支出率及绩效目标完成情况\", \"weight\": 1, \"score\": 0.9}%s\n", i, j, k, k < 10 ? "," : ""
      printf "        ]}%s\n", j < 10 ? "," : ""
    }
    printf "      ]}%s\n", i < a ? "," : ""
  }
  printf "    ]}}]},\n  \"evaluation\": {\"sections\": []},\n  \"problems\": {\"paragraphs\": [\"无。\"]},\n  \"measures\": {\"paragraphs\": [\"无。\"]}\n}\n"
}'
