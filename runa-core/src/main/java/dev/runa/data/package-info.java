/**
 * Readers for datasets and detector outputs (COCO JSON, COCO results, PASCAL-VOC XML, BDD-100K JSON,
 * CIFAR-100 binary).
 */
package dev.runa.data;
